package dev.crownest.sdk;

import com.fasterxml.jackson.core.type.TypeReference;
import java.time.Duration;

/**
 * {@code sandbox.commands()}: run, reattach to, list, read and cancel the sandbox's commands.
 *
 * <pre>{@code
 * CommandResult r = sandbox.commands().run("echo hello");                        // blocking
 * sandbox.commands().run("make", new RunOptions().onStdout(System.out::print));  // streamed
 * CommandHandle job = sandbox.commands().runBackground("sleep 60");              // background
 * job.kill();
 * }</pre>
 */
public final class Commands {

    // Longer blocking runs go in the background and are polled: proxies and load balancers in front of
    // a gateway cut answers that take minutes to begin.
    private static final long LONGEST_BLOCKING_MS = 240_000;

    final Transport http;
    final String path;
    private final CommandStreams streams;

    Commands(Transport http, String sandboxId) {
        this.http = http;
        this.path = "/v1/sandboxes/" + Transport.seg(sandboxId) + "/commands";
        this.streams = new CommandStreams(this);
    }

    /** Runs {@code cmd} (a shell line) and waits for its exit. */
    public CommandResult run(String cmd) {
        return run(cmd, new RunOptions());
    }

    /**
     * Runs {@code cmd} (a shell line) and answers its result once it exits. Streamed when
     * {@code options} has an {@code onStdout} or {@code onStderr} callback: each piece of output is handed
     * over as it comes, and a stream that breaks off is followed again from its last event, so the
     * command is never run twice.
     */
    public CommandResult run(String cmd, RunOptions options) {
        if (options.streamed()) {
            return streams.run(options.body(cmd), options);
        }
        if (options.timeoutMs != null && options.timeoutMs > LONGEST_BLOCKING_MS) {
            return runBackground(cmd, options).waitFor();
        }
        return CommandResult.of(
                http.call("POST", path).json(options.body(cmd)).idempotent().as(CommandRecord.class));
    }

    /** Starts {@code cmd} and answers at once with a handle to wait for or kill it. */
    public CommandHandle runBackground(String cmd) {
        return runBackground(cmd, new RunOptions());
    }

    /** Starts {@code cmd} with {@code options} (callbacks ignored) and answers at once with its handle. */
    public CommandHandle runBackground(String cmd, RunOptions options) {
        CommandRecord record = http.call("POST", path)
                .query("wait", false)
                .json(options.body(cmd))
                .idempotent()
                .as(CommandRecord.class);
        return new CommandHandle(this, record);
    }

    /**
     * Reattaches to a running or finished command ({@code GET .../commands/{cid}/stream}): its kept output
     * from the first byte, a {@code gap} for what was not kept, then live, then its exit. A dropped
     * connection is followed again with {@code Last-Event-ID}. On a gateway without that route it waits
     * for the record and hands over its kept output.
     */
    public CommandResult connect(String commandId, RunOptions options) {
        return streams.connect(commandId, options, new CommandStreams.Output());
    }

    /** {@link #connect(String, RunOptions)} with no callbacks: the result once the command exits. */
    public CommandResult connect(String commandId) {
        return connect(commandId, new RunOptions());
    }

    /** The sandbox's command records, newest first. */
    public Page<CommandRecord> list() {
        return list(null, null);
    }

    /** A page of the sandbox's command records, newest first ({@code cursor} and {@code limit} may be null). */
    public Page<CommandRecord> list(String cursor, Integer limit) {
        return http.call("GET", path)
                .query("cursor", cursor)
                .query("limit", limit)
                .as(new TypeReference<Page<CommandRecord>>() {});
    }

    /** One command's record: its status, exit code and kept output. */
    public CommandRecord get(String commandId) {
        return http.call("GET", path + "/" + Transport.seg(commandId)).as(CommandRecord.class);
    }

    /** Cancels a running command (its result then has a non-zero exit code). */
    public CommandRecord cancel(String commandId) {
        return http.call("POST", path + "/" + Transport.seg(commandId) + "/cancel")
                .idempotent()
                .as(CommandRecord.class);
    }

    /** The record once finished, polled with a back-off of 100 ms up to 1 s. */
    CommandRecord awaitFinished(CommandRecord record) {
        long delay = 100;
        while (!record.finished()) {
            Transport.sleep(Duration.ofMillis(delay));
            delay = Math.min(1000, delay * 2);
            record = get(record.id());
        }
        return record;
    }
}
