package dev.crownest.billing.webhook;

import dev.crownest.contracts.event.CommandEvent.CommandFinished;
import dev.crownest.contracts.event.InvoiceEvent.InvoiceFinalized;
import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.QuotaEvent.HardCapBreached;
import dev.crownest.contracts.event.QuotaEvent.QuotaWarningReached;
import dev.crownest.contracts.event.SandboxEvent.SandboxCreated;
import dev.crownest.contracts.event.SandboxEvent.SandboxExpired;
import dev.crownest.contracts.event.SandboxEvent.SandboxFailed;
import dev.crownest.contracts.event.SandboxEvent.SandboxKilled;
import dev.crownest.contracts.event.SandboxEvent.SandboxPauseFailed;
import dev.crownest.contracts.event.SandboxEvent.SandboxPaused;
import dev.crownest.contracts.event.SandboxEvent.SandboxResumeFailed;
import dev.crownest.contracts.event.SandboxEvent.SandboxResumed;
import dev.crownest.contracts.event.SandboxEvent.SandboxStarted;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Platform events (Kafka) as webhook events. What a tenant is told is chosen here field by field: a
 * create's env values, a command's output and node names never leave the platform.
 */
final class SourceEvents {
    private SourceEvents() {}

    /** The webhook event of {@code event}, or empty when tenants are not told of its kind. */
    static Optional<WebhookEvent> webhookOf(PlatformEvent event) {
        if (event == null || event.tenantId() == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(
                switch (event) {
                    case SandboxCreated e ->
                        of(
                                e,
                                "sandbox.created",
                                "sandboxId",
                                e.sandboxId(),
                                "projectId",
                                e.projectId(),
                                "template",
                                e.template(),
                                "network",
                                e.network(),
                                "cpu",
                                e.cpu(),
                                "memoryMb",
                                e.memoryMb(),
                                "diskMb",
                                e.diskMb(),
                                "expiresAt",
                                e.expiresAt(),
                                "metadata",
                                e.metadata(),
                                "fromSnapshot",
                                e.fromSnapshot(),
                                "actor",
                                e.actor());
                    case SandboxStarted e -> of(e, "sandbox.started", "sandboxId", e.sandboxId(), "actor", e.actor());
                    case SandboxPaused e ->
                        of(
                                e,
                                "sandbox.paused",
                                "sandboxId",
                                e.sandboxId(),
                                "snapshotId",
                                e.snapshotId(),
                                "actor",
                                e.actor());
                    case SandboxResumed e ->
                        of(
                                e,
                                "sandbox.resumed",
                                "sandboxId",
                                e.sandboxId(),
                                "snapshotId",
                                e.snapshotId(),
                                "expiresAt",
                                e.expiresAt(),
                                "actor",
                                e.actor());
                    case SandboxPauseFailed e ->
                        of(e, "sandbox.pause_failed", "sandboxId", e.sandboxId(), "reason", e.reason());
                    case SandboxResumeFailed e ->
                        of(e, "sandbox.resume_failed", "sandboxId", e.sandboxId(), "reason", e.reason());
                    case SandboxFailed e -> of(e, "sandbox.failed", "sandboxId", e.sandboxId(), "reason", e.reason());
                    case SandboxKilled e ->
                        of(
                                e,
                                "sandbox.ended",
                                "sandboxId",
                                e.sandboxId(),
                                "cause",
                                "killed",
                                "reason",
                                e.reason(),
                                "actor",
                                e.actor());
                    case SandboxExpired e ->
                        of(e, "sandbox.ended", "sandboxId", e.sandboxId(), "cause", "expired", "actor", e.actor());
                    case CommandFinished e ->
                        of(
                                e,
                                "command.finished",
                                "commandId",
                                e.commandId(),
                                "sandboxId",
                                e.sandboxId(),
                                "exitCode",
                                e.exitCode(),
                                "timedOut",
                                e.timedOut(),
                                "cancelled",
                                e.cancelled(),
                                "startedAt",
                                e.startedAt(),
                                "finishedAt",
                                e.finishedAt(),
                                "durationMs",
                                e.durationMs(),
                                "actor",
                                e.actor());
                    case QuotaWarningReached e ->
                        of(
                                e,
                                "usage.threshold",
                                "level",
                                "warning",
                                "projectId",
                                e.projectId(),
                                "limit",
                                e.limit(),
                                "used",
                                e.used(),
                                "cap",
                                e.cap(),
                                "period",
                                e.period());
                    case HardCapBreached e ->
                        of(
                                e,
                                "usage.threshold",
                                "level",
                                "breached",
                                "projectId",
                                e.projectId(),
                                "limit",
                                e.limit(),
                                "used",
                                e.used(),
                                "cap",
                                e.cap(),
                                "period",
                                e.period());
                    case InvoiceFinalized e ->
                        of(
                                e,
                                "invoice.finalized",
                                "invoiceId",
                                e.invoiceId(),
                                "number",
                                e.number(),
                                "period",
                                e.period(),
                                "totalUsd",
                                e.totalUsd(),
                                "actor",
                                e.actor());
                    default -> null;
                });
    }

    /** {@code pairs} are name, value, ...; null values are left out. */
    static WebhookEvent of(PlatformEvent source, String type, Object... pairs) {
        Map<String, Object> data = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                data.put((String) pairs[i], pairs[i + 1]);
            }
        }
        return new WebhookEvent("evt_" + source.eventId(), type, source.occurredAt(), source.tenantId(), data);
    }
}
