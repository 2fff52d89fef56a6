package dev.crownest.contracts.event;

import java.time.Instant;
import java.util.UUID;

/**
 * A terminal of a sandbox ({@code GET /v1/sandboxes/{id}/pty}) opened or closed, published by the
 * gateway that holds it, so the audit log shows who had a shell in which sandbox, and when; what was
 * typed and printed is never recorded. {@code operation}: opened, closed; {@code terminalId} pairs the
 * two; {@code actor}: the API key id; {@code exitCode}: the shell's, on a close because it exited (null
 * when the client left or the sandbox went away).
 */
public record SandboxPtyChanged(
        UUID eventId,
        String tenantId,
        Instant occurredAt,
        int schemaVersion,
        String sandboxId,
        String terminalId,
        String operation,
        String actor,
        Integer exitCode)
        implements PlatformEvent {
    public static final String OPENED = "opened";
    public static final String CLOSED = "closed";

    @Override
    public String resourceId() {
        return sandboxId;
    }
}
