package dev.crownest.node.exec;

import dev.crownest.node.agent.ProcessAgent;
import dev.crownest.nodeclient.protocol.ExecChunk;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A command running in a sandbox, as far as cancelling it goes: it leads its own session and process
 * group inside the sandbox, and its process agent kills that group until no member is left (one kill
 * does not stop a fork bomb), without a new process, so the kill works even when a bomb holds every
 * process slot of RLIMIT_NPROC. A process the command detached with setsid lives on.
 *
 * <p>It also keeps what the command wrote ({@link KeptOutput}) for readers that attach late.
 */
final class RunningCommand {
    /** What each stream keeps for late readers: its last 8 MiB. */
    static final long KEPT_BYTES_PER_STREAM = 8L * 1024 * 1024;

    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicBoolean killed = new AtomicBoolean();
    private volatile ProcessAgent.Command started;
    private final List<OutputWatch> watches = new CopyOnWriteArrayList<>();
    private final KeptOutput kept = new KeptOutput(KEPT_BYTES_PER_STREAM);
    private boolean ended;

    /** Set once the agent took the command; a cancel that came first kills it then. */
    void started(ProcessAgent.Command command) {
        this.started = command;
        if (killed.get()) {
            command.kill();
        }
    }

    boolean cancelled() {
        return cancelled.get();
    }

    /** Marks the command cancelled (its exit chunk says so) and kills its process group. */
    void cancel() {
        cancelled.set(true);
        killGroup();
    }

    /** Kills the command's process group inside the sandbox (once per command). */
    void killGroup() {
        if (!killed.getAndSet(true) && started != null) {
            started.kill();
        }
    }

    /** Adds a reader of the command's output from now on ({@link OutputWatch}). */
    void watch(OutputWatch watch) {
        watch.started();
        synchronized (kept) {
            watches.add(watch);
        }
    }

    /**
     * Adds a reader that has read up to {@code stdoutFrom} and {@code stderrFrom}: answers what it missed
     * ({@link KeptOutput#since}); everything written after that reaches its watch (none when the command
     * has ended: the answer is all there is). Taken under the same
     * lock as each piece is kept, so no piece is both in the answer and fed to the watch, nor in neither.
     */
    List<Object> watchSince(OutputWatch watch, long stdoutFrom, long stderrFrom) {
        watch.started();
        synchronized (kept) {
            List<Object> missed = kept.since(stdoutFrom, stderrFrom);
            if (!ended) {
                watches.add(watch);
            }
            return missed;
        }
    }

    /**
     * Keeps a piece of output, or the exit chunk, and hands it to every watch, each waiting at most until
     * {@code deadlineNanos} ({@link System#nanoTime()}) for its reader; a watch whose reader left is dropped.
     */
    void feedWatches(Object piece, long deadlineNanos) {
        List<OutputWatch> readers;
        synchronized (kept) {
            if (piece instanceof OutputWatch.Piece output) {
                kept.append(output.stream(), output.data());
            } else if (piece instanceof ExecChunk exit) {
                kept.exit(exit);
            }
            readers = List.copyOf(watches);
        }
        for (OutputWatch watch : readers) {
            if (!watch.offer(piece, deadlineNanos - System.nanoTime())) {
                watches.remove(watch);
            }
        }
    }

    /** The command gives nothing more: its watches end (after the exit, if it was fed). */
    void endWatches() {
        synchronized (kept) {
            ended = true;
            watches.forEach(OutputWatch::end);
            watches.clear();
        }
    }
}
