package dev.crownest.node.exec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The commands this node runs now, by sandbox and command id, so they can be cancelled and watched;
 * and the watches of commands that have not started yet, which their command takes when it starts.
 */
@Component
class RunningCommands {
    private final Map<String, RunningCommand> byKey = new ConcurrentHashMap<>();
    private final Map<String, List<OutputWatch>> waiting = new HashMap<>();

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
        byKey.remove(key(sandboxId, commandId), command);
    }

    Optional<RunningCommand> find(String sandboxId, String commandId) {
        return Optional.ofNullable(byKey.get(key(sandboxId, commandId)));
    }

    private static String key(String sandboxId, String commandId) {
        return sandboxId + "/" + commandId;
    }
}
