package dev.crownest.node.exec;

import dev.crownest.node.agent.ProcessAgent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A command running in a sandbox, as far as cancelling it goes: it leads its own session and process
 * group inside the sandbox, and its process agent kills that group until no member is left (one kill
 * does not stop a fork bomb), without a new process, so the kill works even when a bomb holds every
 * process slot of RLIMIT_NPROC. A process the command detached with setsid lives on.
 */
final class RunningCommand {
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicBoolean killed = new AtomicBoolean();
    private volatile ProcessAgent.Command started;
    private final List<OutputWatch> watches = new CopyOnWriteArrayList<>();

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
        watches.add(watch);
    }

    /**
     * Hands a piece of output, or the exit chunk, to every watch, each waiting at most until
     * {@code deadlineNanos} ({@link System#nanoTime()}) for its reader; a watch whose reader left is dropped.
     */
    void feedWatches(Object piece, long deadlineNanos) {
        for (OutputWatch watch : watches) {
            if (!watch.offer(piece, deadlineNanos - System.nanoTime())) {
                watches.remove(watch);
            }
        }
    }

    /** The command gives nothing more: its watches end (after the exit, if it was fed). */
    void endWatches() {
        watches.forEach(OutputWatch::end);
        watches.clear();
    }
}
