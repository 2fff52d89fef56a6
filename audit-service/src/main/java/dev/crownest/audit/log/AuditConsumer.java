package dev.crownest.audit.log;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.crownest.contracts.event.PlatformEvent;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Every audited topic into the log. Offsets are committed after the append: at-least-once, deduplicated by event id. */
@Component
class AuditConsumer {
    private final AuditLog log;

    AuditConsumer(AuditLog log) {
        this.log = log;
    }

    @KafkaListener(topics = {"#{T(dev.crownest.contracts.event.Topics).SANDBOX_EVENTS}",
            "#{T(dev.crownest.contracts.event.Topics).COMMAND_EVENTS}",
            "#{T(dev.crownest.contracts.event.Topics).KEY_EVENTS}"})
    void on(PlatformEvent event) throws JsonProcessingException {
        log.append(event);
    }
}
