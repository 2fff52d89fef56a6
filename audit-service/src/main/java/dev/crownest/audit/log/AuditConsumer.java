package dev.crownest.audit.log;

import dev.crownest.contracts.event.PlatformEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;

/**
 * Every audited topic ({@code Topics.AUDITED}) into the log, a poll at a time: one transaction and
 * one lock per tenant chain head per batch. Offsets are committed after the append: at-least-once,
 * deduplicated by event id. A failed batch is retried whole by the container's error handler.
 */
@Component
class AuditConsumer {
    private static final Logger log = LoggerFactory.getLogger(AuditConsumer.class);
    private final AuditLog auditLog;

    AuditConsumer(AuditLog auditLog) {
        this.auditLog = auditLog;
    }

    @KafkaListener(topics = "#{T(dev.crownest.contracts.event.Topics).AUDITED}")
    void on(List<ConsumerRecord<String, PlatformEvent>> records) {
        List<PlatformEvent> events = new ArrayList<>(records.size());
        for (ConsumerRecord<String, PlatformEvent> record : records) {
            if (record.value() == null) {
                // The error-handling deserializer leaves null for a record that is not a PlatformEvent:
                // nothing to chain, and retrying would not change it.
                log.warn("skipped an unreadable record at {}-{}@{}", record.topic(), record.partition(), record.offset());
                continue;
            }
            events.add(record.value());
        }
        auditLog.append(events);
    }
}
