package dev.crownest.sandbox.command;

import dev.crownest.contracts.event.CommandFact;
import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.Topics;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Records the facts of the commands gateways ran on nodes directly ({@link Topics#COMMAND_FACTS}) on
 * their Command aggregates, so the event store, {@code command-events} and audit hold each command's
 * start and finish once. Every step is idempotent on the aggregate: a fact seen again changes nothing,
 * and an exit that comes without its start records the start first (the exit carries the whole run).
 * A failure is retried until it passes ({@link FactListenerErrors}); the offset moves on only after the record.
 */
@Component
class CommandFactRecorder {
    private final CommandGateway commands;

    CommandFactRecorder(CommandGateway commands) {
        this.commands = commands;
    }

    @KafkaListener(topics = Topics.COMMAND_FACTS, groupId = "${crownest.sandbox.facts-group:sandbox-service-facts}")
    void on(PlatformEvent event) {
        if (!(event instanceof CommandFact fact)) {
            return;
        }
        CommandFact.Run run = fact.run();
        // The exit's occurredAt stands in for a start never seen: its process start time is in the exit.
        commands.sendAndWait(new RecordCommandAccepted(
                run.commandId(),
                run,
                fact instanceof CommandFact.CommandExited exited && exited.startedAt() != null
                        ? exited.startedAt()
                        : fact.occurredAt()));
        if (fact instanceof CommandFact.CommandExited exited) {
            commands.sendAndWait(new RecordCommandFinished(
                    run.commandId(),
                    exited.exitCode(),
                    exited.stdout(),
                    exited.stderr(),
                    exited.truncated(),
                    exited.timedOut(),
                    exited.startedAt(),
                    exited.finishedAt(),
                    exited.nodeId(),
                    null,
                    exited.cancelled()));
        }
    }
}
