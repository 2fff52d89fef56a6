package dev.crownest.worker.command;

import dev.crownest.contracts.event.CommandEvent;
import dev.crownest.contracts.event.CommandOutput;
import dev.crownest.contracts.event.CommandOutputBytes;
import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.Topics;
import dev.crownest.contracts.node.ExecChunk;
import dev.crownest.contracts.node.ExecRequest;
import dev.crownest.contracts.node.NodeReport;
import dev.crownest.contracts.api.CollectError;
import dev.crownest.worker.ProcessedEvents;
import dev.crownest.worker.artifact.ArtifactCollector;
import dev.crownest.worker.node.NodeAgentClient;
import dev.crownest.worker.report.SandboxServiceReports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A started command runs on the sandbox's node: every output chunk goes to the command-output topic
 * as it comes (for streaming clients), the capped whole goes to sandbox-service at the exit.
 */
@Component
class CommandRunner {
    private static final Logger log = LoggerFactory.getLogger(CommandRunner.class);
    /** Exit code recorded when the node could not run the command at all. */
    static final int NODE_FAILURE_EXIT = 125;
    /** Marks the end of a node's exec stream on the hand-off queue. */
    private static final Object END = new Object();

    private final NodeAgentClient node;
    private final SandboxServiceReports reports;
    private final KafkaTemplate<String, Object> kafka;
    private final ProcessedEvents processed;
    private final ArtifactCollector artifacts;
    private final Clock clock;
    private final int outputCap;
    private final int recordBytes;
    private final long lingerNanos;
    private final long maxDelayNanos;

    CommandRunner(NodeAgentClient node, SandboxServiceReports reports, KafkaTemplate<String, Object> kafka,
                  ProcessedEvents processed, ArtifactCollector artifacts, Clock clock,
                  @Value("${crownest.worker.output-cap-bytes:524288}") int outputCap,
                  @Value("${crownest.worker.output-record-bytes:262144}") int recordBytes,
                  @Value("${crownest.worker.output-linger:5ms}") Duration linger,
                  @Value("${crownest.worker.output-max-delay:50ms}") Duration maxDelay) {
        this.node = node;
        this.reports = reports;
        this.kafka = kafka;
        this.processed = processed;
        this.artifacts = artifacts;
        this.clock = clock;
        this.outputCap = outputCap;
        this.recordBytes = recordBytes;
        this.lingerNanos = linger.toNanos();
        this.maxDelayNanos = maxDelay.toNanos();
    }

    @KafkaListener(topics = Topics.COMMAND_EVENTS, concurrency = "3")
    void on(PlatformEvent event) {
        if (event instanceof CommandEvent.CommandStarted started && processed.firstTime(event.eventId())) {
            // A command may run for an hour: never on the listener's thread.
            Thread.ofVirtual().name("cmd-" + started.commandId()).start(() -> run(started));
        } else if (event instanceof CommandEvent.CommandCancelRequested cancel && processed.firstTime(event.eventId())) {
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
        long[] seq = {0};
        CoalescedOutput output = new CoalescedOutput((stream, data) ->
                publish(cmd, seq[0]++, stream, data, null, null), recordBytes);
        Instant requestedAt = clock.instant();
        ExecChunk[] exit = {null};
        // The node's stream is read on its own thread, so that this one can publish what is pending as
        // soon as the output pauses for the linger (a blocked read could not). A piece is up to 1 MiB:
        // a few are enough to keep both threads busy, and more would outlive young collections of this
        // small heap (64 waiting pieces filled the old generation and cost a full GC every 200 ms).
        BlockingQueue<Object> feed = new ArrayBlockingQueue<>(4);
        Thread reader = Thread.ofVirtual().name("exec-" + cmd.commandId()).start(() -> readNode(cmd, feed));
        try {
            for (Object item; ; ) {
                item = output.isEmpty() ? feed.take() : feed.poll(lingerNanos, TimeUnit.NANOSECONDS);
                if (item == null) {
                    output.flush(); // the output paused: what is pending goes out now
                } else if (item instanceof ExecChunk chunk) {
                    exit[0] = chunk;
                } else if (item instanceof NodeAgentClient.Output piece) {
                    (CommandOutput.STDERR.equals(piece.stream()) ? stderr : stdout).add(piece.data());
                    long now = System.nanoTime();
                    output.add(piece.stream(), piece.data(), now);
                    // output that never pauses still goes out within maxDelay
                    if (!output.isEmpty() && now - output.pendingSince() >= maxDelayNanos) {
                        output.flush();
                    }
                } else {
                    if (item instanceof Exception failure) {
                        log.warn("command {} could not run on the node: {}", cmd.commandId(), failure.getMessage());
                        output.flush();
                        stderr.add(("crownest: the command could not run: " + failure.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
                    }
                    break;
                }
            }
        } catch (InterruptedException e) {
            reader.interrupt();
            Thread.currentThread().interrupt();
        }
        output.flush();
        int exitCode = exit[0] != null && exit[0].exitCode() != null ? exit[0].exitCode() : NODE_FAILURE_EXIT;
        boolean timedOut = exit[0] != null && Boolean.TRUE.equals(exit[0].timedOut());
        Instant startedAt = exit[0] != null && exit[0].startedAt() != null ? exit[0].startedAt() : requestedAt;
        Instant finishedAt = exit[0] != null && exit[0].finishedAt() != null ? exit[0].finishedAt() : clock.instant();
        boolean cancelled = exit[0] != null && Boolean.TRUE.equals(exit[0].cancelled());
        // Artifacts only of a success, and before the finish: the finished record already lists them.
        List<CollectError> collectErrors = exit[0] != null && exitCode == 0 && !timedOut && !cancelled
                && cmd.collect() != null && !cmd.collect().isEmpty() ? artifacts.collect(cmd) : null;
        // Record first, then announce the exit: a client that reads the record after the exit finds it finished.
        reports.commandFinished(cmd.commandId(), new NodeReport.CommandFinished(exitCode, stdout.text(), stderr.text(),
                stdout.truncated() || stderr.truncated(), timedOut, startedAt, finishedAt, collectErrors));
        publish(cmd, seq[0], CommandOutput.EXIT, null, exitCode, timedOut);
    }

    /** Hands the node's output pieces to {@link #run}, then its exit chunk, or an exception if the exec failed, then {@link #END}. */
    private void readNode(CommandEvent.CommandStarted cmd, BlockingQueue<Object> feed) {
        try {
            Object last = END;
            try {
                ExecChunk exit = node.exec(cmd.sandboxId(), new ExecRequest(cmd.commandId(), cmd.cmd(), cmd.cwd(), cmd.env(),
                        cmd.timeoutMs(), cmd.stdin()), piece -> {
                    try {
                        feed.put(piece);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("the command's runner went away");
                    }
                });
                if (exit != null) {
                    feed.put(exit);
                }
            } catch (IOException | RuntimeException e) {
                last = e;
            }
            feed.put(last);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void publish(CommandEvent.CommandStarted cmd, long seq, String stream, byte[] data, Integer exitCode, Boolean timedOut) {
        kafka.send(Topics.COMMAND_OUTPUT, cmd.commandId(), CommandOutputBytes.encode(
                new CommandOutput(cmd.commandId(), cmd.sandboxId(), cmd.tenantId(), seq, stream, data, exitCode, timedOut)));
    }
}
