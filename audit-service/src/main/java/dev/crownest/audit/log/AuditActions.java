package dev.crownest.audit.log;

import dev.crownest.contracts.event.CommandEvent;
import dev.crownest.contracts.event.KeyEvent;
import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.SandboxEvent;

/** The audit action name of an event, e.g. {@code sandbox.killed}. */
final class AuditActions {
    private AuditActions() {
    }

    static String of(PlatformEvent event) {
        return switch (event) {
            case SandboxEvent.SandboxCreated e -> "sandbox.created";
            case SandboxEvent.SandboxStarted e -> "sandbox.started";
            case SandboxEvent.SandboxFailed e -> "sandbox.failed";
            case SandboxEvent.SandboxKilled e -> "sandbox.killed";
            case SandboxEvent.SandboxExpired e -> "sandbox.expired";
            case CommandEvent.CommandStarted e -> "command.started";
            case CommandEvent.CommandFinished e -> "command.finished";
            case KeyEvent.ApiKeyCreated e -> "key.created";
            case KeyEvent.ApiKeyRevoked e -> "key.revoked";
            default -> event.getClass().getSimpleName();
        };
    }
}
