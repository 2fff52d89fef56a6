package dev.crownest.node.exec;

import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The commands this node runs now, by sandbox and command id, so they can be cancelled. */
@Component
class RunningCommands {
    private final Map<String, RunningCommand> byKey = new ConcurrentHashMap<>();

    /** False when a command of that id runs already in that sandbox. */
    boolean add(String sandboxId, String commandId, RunningCommand command) {
        return byKey.putIfAbsent(key(sandboxId, commandId), command) == null;
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
