package dev.crownest.worker.command;

import dev.crownest.contracts.api.CollectError;
import dev.crownest.contracts.event.CommandEvent;
import dev.crownest.contracts.event.CommandOutput;
import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.Topics;
import dev.crownest.contracts.node.ExecChunk;
import dev.crownest.contracts.node.ExecRequest;
import dev.crownest.contracts.node.NodeReport;
import dev.crownest.worker.ProcessedEvents;
import dev.crownest.worker.artifact.ArtifactCollector;
import dev.crownest.worker.node.NodeAgentClient;
import dev.crownest.worker.report.SandboxServiceReports;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * A started command runs on the sandbox's node: its capped output goes to sandbox-service at the exit,
 * then its exit goes to the command-output topic. A client streaming the command reads the output
 * from the node itself, through its gateway (a watch of the node's exec, beside this reader), and
 * ends its stream with that exit record: once it comes, the command's record is finished.
 */
@Component
class CommandRunner {
    private static final Logger log = LoggerFactory.getLogger(CommandRunner.class);
    /** Exit code recorded when the node could not run the command at all. */
    static final int NODE_FAILURE_EXIT = 125;

    private final NodeAgentClient node;
    private final SandboxServiceReports reports;
    private final KafkaTemplate<String, Object> kafka;
    private final ProcessedEvents processed;
    private final ArtifactCollector artifacts;
    private final Clock clock;
    private final int outputCap;

    CommandRunner(
            NodeAgentClient node,
            SandboxServiceReports reports,
            KafkaTemplate<String, Object> kafka,
            ProcessedEvents processed,
            ArtifactCollector artifacts,
            Clock clock,
            @Value("${crownest.worker.output-cap-bytes:524288}") int outputCap) {
        this.node = node;
        this.reports = reports;
        this.kafka = kafka;
        this.processed = processed;
        this.artifacts = artifacts;
        this.clock = clock;
        this.outputCap = outputCap;
    }

    @KafkaListener(topics = Topics.COMMAND_EVENTS, concurrency = "3")
    void on(PlatformEvent event) {
        if (event instanceof CommandEvent.CommandStarted started && processed.firstTime(event.eventId())) {
            // A command may run for an hour: never on the listener's thread.
            Thread.ofVirtual().name("cmd-" + started.commandId()).start(() -> run(started));
        } else if (event instanceof CommandEvent.CommandCancelRequested cancel
                && processed.firstTime(event.eventId())) {
            Thread.ofVirtual().name("cancel-" + cancel.commandId()).start(() -> cancel(cancel));
        }
    }

    /** The run's exec stream then ends with the killed process's exit, which records the command as usual. */
    private void cancel(CommandEvent.CommandCancelRequested cancel) {
        try {
            if (!node.cancel(cancel.sandboxId(), cancel.commandId())) {
                log.info("command {} was not running on its node; nothing to cancel", cancel.commandId());
            }
        } catch (IOException e) {
            log.warn("cancel of command {} failed: {}", cancel.commandId(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void run(CommandEvent.CommandStarted cmd) {
        OutputCollector stdout = new OutputCollector(outputCap);
        OutputCollector stderr = new OutputCollector(outputCap);
        Instant requestedAt = clock.instant();
        ExecChunk exit = null;
        try {
            // one byte past the cap: the collectors then see that there was more (truncated)
            exit = node.exec(
                    cmd.sandboxId(),
                    new ExecRequest(
                            cmd.commandId(),
                            cmd.cmd(),
                            cmd.cwd(),
                            cmd.env(),
                            cmd.timeoutMs(),
                            cmd.stdin(),
                            outputCap + 1L),
                    piece -> (CommandOutput.STDERR.equals(piece.stream()) ? stderr : stdout).add(piece.data()));
        } catch (IOException | RuntimeException failure) {
            log.warn("command {} could not run on the node: {}", cmd.commandId(), failure.getMessage());
            stderr.add(("crownest: the command could not run: " + failure.getMessage() + "\n")
                    .getBytes(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int exitCode = exit != null && exit.exitCode() != null ? exit.exitCode() : NODE_FAILURE_EXIT;
        boolean timedOut = exit != null && Boolean.TRUE.equals(exit.timedOut());
        Instant startedAt = exit != null && exit.startedAt() != null ? exit.startedAt() : requestedAt;
        Instant finishedAt = exit != null && exit.finishedAt() != null ? exit.finishedAt() : clock.instant();
        boolean cancelled = exit != null && Boolean.TRUE.equals(exit.cancelled());
        // Artifacts only of a success, and before the finish: the finished record already lists them.
        List<CollectError> collectErrors = exit != null
                        && exitCode == 0
                        && !timedOut
                        && !cancelled
                        && cmd.collect() != null
                        && !cmd.collect().isEmpty()
                ? artifacts.collect(cmd)
                : null;
        // Record first, then announce the exit: a client that reads the record after the exit finds it finished.
        reports.commandFinished(
                cmd.commandId(),
                new NodeReport.CommandFinished(
                        exitCode,
                        stdout.text(),
                        stderr.text(),
                        stdout.truncated() || stderr.truncated(),
                        timedOut,
                        startedAt,
                        finishedAt,
                        collectErrors));
        kafka.send(
                Topics.COMMAND_OUTPUT,
                cmd.commandId(),
                new CommandOutput(
                        cmd.commandId(),
                        cmd.sandboxId(),
                        cmd.tenantId(),
                        0,
                        CommandOutput.EXIT,
                        null,
                        exitCode,
                        timedOut));
    }
}
