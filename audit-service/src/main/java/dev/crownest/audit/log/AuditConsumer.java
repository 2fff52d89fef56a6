package dev.crownest.audit.log;

import dev.crownest.contracts.event.PlatformEvent;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.stereotype.Component;

/**
 * Every audited topic ({@code Topics.AUDITED}) into the log, a poll at a time: one transaction and
 * one lock per tenant chain head per batch. Offsets are committed after the append: at-least-once,
 * deduplicated by event id.
 *
 * <p>A batch that fails for a reason that may pass (the database away) is retried whole, without
 * end ({@link AuditListenerErrors}): the log must not lose events. One that fails otherwise is
 * appended event by event to find the one at fault, so only that one is set aside.
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
            PlatformEvent event = record.value();
            if (event == null || event.eventId() == null || event.occurredAt() == null) {
                // Not a PlatformEvent (the error-handling deserializer leaves null) or one without the
                // fields a chain link needs: nothing to chain, and retrying would not change it.
                log.warn(
                        "skipped an unchainable record at {}-{}@{}",
                        record.topic(),
                        record.partition(),
                        record.offset());
                continue;
            }
            events.add(event);
        }
        try {
            auditLog.append(events);
        } catch (RuntimeException batchFailure) {
            if (AuditListenerErrors.mayPass(batchFailure)) {
                throw batchFailure;
            }
            appendOneByOne(records);
        }
    }

    private void appendOneByOne(List<ConsumerRecord<String, PlatformEvent>> records) {
        for (int i = 0; i < records.size(); i++) {
            PlatformEvent event = records.get(i).value();
            if (event == null || event.eventId() == null || event.occurredAt() == null) {
                continue;
            }
            try {
                auditLog.append(event);
            } catch (RuntimeException e) {
                if (AuditListenerErrors.mayPass(e)) {
                    throw e;
                }
                // Offsets before it are committed; it is retried, then set aside by the error handler.
                throw new BatchListenerFailedException("event " + event.eventId() + " cannot be appended", e, i);
            }
        }
    }
}
