package dev.crownest.gateway.terminal;

import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.SandboxPtyChanged;
import dev.crownest.contracts.event.Topics;
import java.time.Clock;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Tells the audit log that a terminal opened or closed ({@link SandboxPtyChanged} on
 * {@code terminal-events}, as file changes go on {@code file-events}). A terminal is not a command
 * with a result, so it has no aggregate; these two facts are its record. Neither waits for Kafka: a
 * fact Kafka did not take is logged here, and the terminal goes on.
 */
@Component
class TerminalRecords {
    private static final Logger log = LoggerFactory.getLogger(TerminalRecords.class);

    private final KafkaTemplate<String, PlatformEvent> kafka;
    private final Clock clock;

    TerminalRecords(KafkaTemplate<String, PlatformEvent> kafka, Clock clock) {
        this.kafka = kafka;
        this.clock = clock;
    }

    void opened(String tenantId, String actor, String sandboxId, String terminalId) {
        publish(tenantId, actor, sandboxId, terminalId, SandboxPtyChanged.OPENED, null);
    }

    void closed(String tenantId, String actor, String sandboxId, String terminalId, Integer exitCode) {
        publish(tenantId, actor, sandboxId, terminalId, SandboxPtyChanged.CLOSED, exitCode);
    }

    private void publish(
            String tenantId, String actor, String sandboxId, String terminalId, String operation, Integer exitCode) {
        var event = new SandboxPtyChanged(
                UUID.randomUUID(), tenantId, clock.instant(), 1, sandboxId, terminalId, operation, actor, exitCode);
        kafka.send(Topics.TERMINAL_EVENTS, sandboxId, event).whenComplete((sent, failure) -> {
            if (failure != null) {
                log.error(
                        "terminal {} {} of sandbox {} not recorded for the audit log: {}",
                        terminalId,
                        operation,
                        sandboxId,
                        failure.toString());
            }
        });
    }
}
