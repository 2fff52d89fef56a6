package dev.crownest.gateway.file;

import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.SandboxFilesChanged;
import dev.crownest.contracts.event.Topics;
import java.time.Clock;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Tells the audit log of every change to a sandbox's files ({@link SandboxFilesChanged} on
 * {@code file-events}), once the node made it. The answer waits for Kafka's acknowledgement, so a
 * client that got its 2xx finds the change in the log; a change Kafka did not take is still answered
 * (it happened) and logged here, never the path's content.
 */
@Component
class FileChanges {
    private static final Logger log = LoggerFactory.getLogger(FileChanges.class);

    private final KafkaTemplate<String, PlatformEvent> kafka;
    private final Clock clock;

    FileChanges(KafkaTemplate<String, PlatformEvent> kafka, Clock clock) {
        this.kafka = kafka;
        this.clock = clock;
    }

    <T> Mono<T> record(
            T answer, boolean done, FileCaller caller, String sandboxId, String operation, String path, String toPath) {
        if (!done) {
            return Mono.just(answer);
        }
        var event = new SandboxFilesChanged(
                UUID.randomUUID(),
                caller.tenantId(),
                clock.instant(),
                1,
                sandboxId,
                operation,
                path,
                toPath,
                caller.actor());
        return Mono.fromFuture(() -> kafka.send(Topics.FILE_EVENTS, sandboxId, event))
                .doOnError(e -> log.error(
                        "file change {} of sandbox {} not recorded for the audit log: {}",
                        operation,
                        sandboxId,
                        e.toString()))
                .onErrorResume(e -> Mono.empty())
                .thenReturn(answer);
    }
}
