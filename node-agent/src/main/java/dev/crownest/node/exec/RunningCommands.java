package dev.crownest.node.exec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The commands this node runs now, by sandbox and command id, so they can be cancelled and watched;
 * and the watches of commands that have not started yet, which their command takes when it starts.
 * An ended command stays findable for a reattach ({@link #findKept}) for {@link #KEPT_AFTER_END} (at
 * most {@link #KEPT_ENDED} of them): a follower that comes just after the exit reads the node's copy of
 * its output, later ones the record's.
 */
@Component
class RunningCommands {
    static final Duration KEPT_AFTER_END = Duration.ofMinutes(2);
    static final int KEPT_ENDED = 256;

    private final Map<String, RunningCommand> byKey = new ConcurrentHashMap<>();
    private final Map<String, List<OutputWatch>> waiting = new HashMap<>();
    /** Ended commands by key, oldest first, each with the time it ended. */
    private final LinkedHashMap<String, Ended> ended = new LinkedHashMap<>();

    private record Ended(RunningCommand command, long endedAtNanos) {}

    /** False when a command of that id runs already in that sandbox; else it takes the watches waiting for it. */
    boolean add(String sandboxId, String commandId, RunningCommand command) {
        String key = key(sandboxId, commandId);
        synchronized (waiting) {
            if (byKey.putIfAbsent(key, command) != null) {
                return false;
            }
            List<OutputWatch> watches = waiting.remove(key);
            if (watches != null) {
                watches.forEach(command::watch);
            }
            return true;
        }
    }

    /** Attaches {@code watch} to the command, running or not started yet. */
    void watch(String sandboxId, String commandId, OutputWatch watch) {
        String key = key(sandboxId, commandId);
        synchronized (waiting) {
            RunningCommand running = byKey.get(key);
            if (running != null) {
                running.watch(watch);
            } else {
                waiting.computeIfAbsent(key, k -> new ArrayList<>()).add(watch);
            }
        }
    }

    /** Forgets a watch that never started (it gave up waiting, or its reader left). */
    void unwatch(String sandboxId, String commandId, OutputWatch watch) {
        String key = key(sandboxId, commandId);
        synchronized (waiting) {
            List<OutputWatch> watches = waiting.get(key);
            if (watches != null && watches.remove(watch) && watches.isEmpty()) {
                waiting.remove(key);
            }
        }
    }

    /** The node refused to run the command: its waiting watches end now instead of at their patience. */
    void refused(String sandboxId, String commandId) {
        List<OutputWatch> watches;
        synchronized (waiting) {
            watches = waiting.remove(key(sandboxId, commandId));
        }
        if (watches != null) {
            watches.forEach(OutputWatch::end);
        }
    }

    void remove(String sandboxId, String commandId, RunningCommand command) {
        String key = key(sandboxId, commandId);
        synchronized (ended) {
            if (byKey.remove(key, command)) {
                ended.put(key, new Ended(command, System.nanoTime()));
            }
            forgetOld();
        }
    }

    /** A running command: one that can be cancelled. */
    Optional<RunningCommand> find(String sandboxId, String commandId) {
        return Optional.ofNullable(byKey.get(key(sandboxId, commandId)));
    }

    /** A running command, or one that ended within {@link #KEPT_AFTER_END}: its output is kept. */
    Optional<RunningCommand> findKept(String sandboxId, String commandId) {
        String key = key(sandboxId, commandId);
        synchronized (ended) {
            forgetOld();
            RunningCommand running = byKey.get(key);
            Ended gone = ended.get(key);
            return Optional.ofNullable(running != null ? running : gone == null ? null : gone.command());
        }
    }

    private void forgetOld() {
        long oldest = System.nanoTime() - KEPT_AFTER_END.toNanos();
        var it = ended.values().iterator();
        while (it.hasNext()) {
            Ended next = it.next();
            if (ended.size() <= KEPT_ENDED && next.endedAtNanos() - oldest > 0) {
                return;
            }
            it.remove();
        }
    }

    private static String key(String sandboxId, String commandId) {
        return sandboxId + "/" + commandId;
    }
}
