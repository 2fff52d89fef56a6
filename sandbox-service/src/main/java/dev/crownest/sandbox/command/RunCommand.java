package dev.crownest.sandbox.command;

import dev.crownest.contracts.api.CollectFile;
import java.util.List;
import java.util.Map;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Run {@code cmd} in a running sandbox; defaults are applied, the aggregate checks the limits and
 * the {@code collect} list.
 */
public record RunCommand(
        @TargetAggregateIdentifier String commandId,
        String sandboxId,
        String tenantId,
        String cmd,
        String cwd,
        Map<String, String> env,
        long timeoutMs,
        String stdin,
        String actor,
        List<CollectFile> collect) {

    public RunCommand(
            String commandId,
            String sandboxId,
            String tenantId,
            String cmd,
            String cwd,
            Map<String, String> env,
            long timeoutMs,
            String stdin,
            String actor) {
        this(commandId, sandboxId, tenantId, cmd, cwd, env, timeoutMs, stdin, actor, null);
    }
}
