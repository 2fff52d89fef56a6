package dev.crownest.node.exec;

import dev.crownest.contracts.event.CommandFact;
import dev.crownest.contracts.text.CappedOutput;
import dev.crownest.node.facts.FactOutbox;
import dev.crownest.nodeclient.protocol.ExecChunk;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;

/**
 * The writer of a run the gateway made on this node itself ({@code ExecRequest.record}), around the
 * wire's writer: keeps the output as the command's record keeps it (the first {@code cap} bytes of each
 * stream, readable from the first byte while it runs), writes the exit fact to the {@link FactOutbox}
 * before the caller hears the exit (whose frame then carries the kept output), and lets the command run
 * on to its end, recorded, when the caller goes away, as the worker's runs always did.
 */
final class RecordedWriter extends ChunkWriter {
    private final ChunkWriter wire;
    private final FactOutbox outbox;
    private final CommandFact.Run run;
    private final Clock clock;
    private final Instant acceptedAt;
    private final CappedOutput stdout;
    private final CappedOutput stderr;
    private boolean wireGone;
    private boolean exited;

    RecordedWriter(ChunkWriter wire, int cap, FactOutbox outbox, CommandFact.Run run, Clock clock) {
        super(OutputStream.nullOutputStream(), Long.MAX_VALUE);
        this.wire = wire;
        this.outbox = outbox;
        this.run = run;
        this.clock = clock;
        this.acceptedAt = clock.instant();
        this.stdout = new CappedOutput(cap);
        this.stderr = new CappedOutput(cap);
    }

    @Override
    void write(String stream, byte[] data) {
        ("stderr".equals(stream) ? stderr : stdout).add(data);
        if (!wireGone) {
            try {
                wire.output(stream, data);
            } catch (IOException callerGone) {
                wireGone = true;
            }
        }
    }

    @Override
    void exit(ExecChunk exit) throws IOException {
        boolean truncated = stdout.truncated() || stderr.truncated();
        outbox.exited(outbox.exit(
                run,
                exit.exitCode(),
                stdout.text(),
                stderr.text(),
                stdout.totalBytes(),
                stderr.totalBytes(),
                truncated,
                Boolean.TRUE.equals(exit.timedOut()),
                Boolean.TRUE.equals(exit.cancelled()),
                exit.startedAt(),
                exit.finishedAt()));
        exited = true;
        if (!wireGone) {
            try {
                wire.exit(new ExecChunk(
                        exit.stream(),
                        null,
                        exit.exitCode(),
                        exit.timedOut(),
                        exit.startedAt(),
                        exit.finishedAt(),
                        exit.cancelled(),
                        stdout.text(),
                        stderr.text(),
                        truncated));
            } catch (IOException callerGone) {
                wireGone = true;
            }
        }
    }

    @Override
    void flush() {
        if (!wireGone) {
            try {
                wire.flush();
            } catch (IOException callerGone) {
                wireGone = true;
            }
        }
    }

    /**
     * After the run: a command the loop gave no exit (it could not start, or the node abandoned it) still
     * gets one, as the worker records a run it could not make ({@link FactOutbox#LOST_EXIT}).
     */
    void ensureExited(Throwable failure) throws IOException {
        if (exited) {
            return;
        }
        stderr.add(("crownest: the command could not run: "
                        + (failure == null ? "it ended without an exit" : failure.getMessage()) + "\n")
                .getBytes(StandardCharsets.UTF_8));
        outbox.exited(outbox.exit(
                run,
                FactOutbox.LOST_EXIT,
                stdout.text(),
                stderr.text(),
                stdout.totalBytes(),
                stderr.totalBytes(),
                stdout.truncated() || stderr.truncated(),
                false,
                false,
                acceptedAt,
                clock.instant()));
        exited = true;
    }
}
