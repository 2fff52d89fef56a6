package dev.crownest.sandbox.command;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.Map;

/** Run {@code cmd} in a running sandbox; defaults are applied, the aggregate checks the limits. */
public record RunCommand(@TargetAggregateIdentifier String commandId, String sandboxId, String tenantId,
                         String cmd, String cwd, Map<String, String> env, long timeoutMs, String stdin, String actor) {
}
