package dev.crownest.worker.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.api.CollectError;
import dev.crownest.contracts.event.CommandEvent;
import dev.crownest.contracts.event.CommandOutput;
import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.Topics;
import dev.crownest.contracts.node.NodeReport;
import dev.crownest.contracts.text.CappedOutput;
import dev.crownest.kit.seal.EnvSeal;
import dev.crownest.nodeclient.NodeClient;
import dev.crownest.nodeclient.protocol.ExecChunk;
import dev.crownest.nodeclient.protocol.ExecFrames;
import dev.crownest.nodeclient.protocol.ExecRequest;
import dev.crownest.worker.ProcessedEvents;
import dev.crownest.worker.artifact.ArtifactCollector;
import dev.crownest.worker.report.SandboxServiceReports;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
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

    private static final Duration CANCEL_LIMIT = Duration.ofSeconds(10);
    /** How long past its own timeout a command's stream may stay silent before the node counts as gone. */
    private static final long SILENCE_GRACE_MS = 30_000;

    private final NodeClient nodes;
    private final URI node;
    private final ObjectMapper json;
    private final SandboxServiceReports reports;
    private final KafkaTemplate<String, Object> kafka;
    private final ProcessedEvents processed;
    private final ArtifactCollector artifacts;
    private final Clock clock;
    private final int outputCap;
    private final EnvSeal envSeal;

    CommandRunner(
            NodeClient nodes,
            @Value("${crownest.node-agent.url:http://localhost:8083}") URI node,
            ObjectMapper json,
            SandboxServiceReports reports,
            KafkaTemplate<String, Object> kafka,
            ProcessedEvents processed,
            ArtifactCollector artifacts,
            Clock clock,
            @Value("${crownest.worker.output-cap-bytes:524288}") int outputCap,
            EnvSeal envSeal) {
        this.envSeal = envSeal;
        this.nodes = nodes;
        this.node = node;
        this.json = json;
        this.reports = reports;
        this.kafka = kafka;
        this.processed = processed;
        this.artifacts = artifacts;
        this.clock = clock;
        this.outputCap = outputCap;
    }

    @KafkaListener(topics = Topics.COMMAND_EVENTS, concurrency = "3")
    void on(PlatformEvent event) {
        if (event instanceof CommandEvent.CommandStarted started
                // a run the gateway made on the node itself is recorded here after the fact: never run twice
                && !started.ranByGateway()
                && processed.firstTime(event.eventId())) {
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
            if (!nodes.cancel(node, cancel.sandboxId(), cancel.commandId()).block(CANCEL_LIMIT)) {
                log.info("command {} was not running on its node; nothing to cancel", cancel.commandId());
            }
        } catch (RuntimeException e) {
            log.warn("cancel of command {} failed: {}", cancel.commandId(), e.getMessage());
        }
    }

    void run(CommandEvent.CommandStarted cmd) {
        CappedOutput stdout = new CappedOutput(outputCap);
        CappedOutput stderr = new CappedOutput(outputCap);
        Instant requestedAt = clock.instant();
        ExecChunk exit = null;
        try {
            // one byte past the cap: the collectors then see that there was more (truncated)
            exit = exec(
                    new ExecRequest(
                            cmd.commandId(),
                            cmd.cmd(),
                            cmd.cwd(),
                            envSeal.open(cmd.env()),
                            cmd.timeoutMs(),
                            cmd.stdin(),
                            outputCap + 1L),
                    cmd.sandboxId(),
                    stdout,
                    stderr);
        } catch (IOException | RuntimeException failure) {
            log.warn("command {} could not run on the node: {}", cmd.commandId(), failure.getMessage());
            stderr.add(("crownest: the command could not run: " + failure.getMessage() + "\n")
                    .getBytes(StandardCharsets.UTF_8));
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

    /**
     * Runs the command on its node, on this thread: each piece of output goes to its collector as the
     * node streams it. Answers the exit, or null when the stream ended without one (the sandbox went away).
     */
    private ExecChunk exec(ExecRequest request, String sandboxId, CappedOutput stdout, CappedOutput stderr)
            throws IOException {
        Duration silence = Duration.ofMillis(request.timeoutMs() + SILENCE_GRACE_MS);
        try (Stream<ExecFrames.Frame> frames =
                nodes.exec(node, sandboxId, request).timeout(silence).toStream()) {
            for (Iterator<ExecFrames.Frame> it = frames.iterator(); it.hasNext(); ) {
                ExecFrames.Frame frame = it.next();
                switch (frame.type()) {
                    case ExecFrames.EXIT -> {
                        return json.readValue(frame.payload(), ExecChunk.class);
                    }
                    case ExecFrames.STDERR -> stderr.add(frame.payload());
                    default -> stdout.add(frame.payload());
                }
            }
            return null;
        }
    }
}
