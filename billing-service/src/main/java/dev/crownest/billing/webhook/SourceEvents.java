package dev.crownest.billing.webhook;

import dev.crownest.contracts.event.CommandEvent.CommandFinished;
import dev.crownest.contracts.event.CreditEvent.CreditsRestored;
import dev.crownest.contracts.event.InvoiceEvent.InvoiceFinalized;
import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.QuotaEvent;
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
import java.math.BigDecimal;
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
        Fields fields = switch (event) {
            case SandboxCreated e ->
                new Fields(e, "sandbox.created")
                        .with("sandboxId", e.sandboxId())
                        .with("projectId", e.projectId())
                        .with("template", e.template())
                        .with("network", e.network())
                        .with("cpu", e.cpu())
                        .with("memoryMb", e.memoryMb())
                        .with("diskMb", e.diskMb())
                        .with("expiresAt", e.expiresAt())
                        .with("metadata", e.metadata())
                        .with("fromSnapshot", e.fromSnapshot())
                        .with("actor", e.actor());
            case SandboxStarted e -> sandbox(e, "sandbox.started", e.sandboxId(), e.actor());
            case SandboxPaused e ->
                sandbox(e, "sandbox.paused", e.sandboxId(), e.actor()).with("snapshotId", e.snapshotId());
            case SandboxResumed e ->
                sandbox(e, "sandbox.resumed", e.sandboxId(), e.actor())
                        .with("snapshotId", e.snapshotId())
                        .with("expiresAt", e.expiresAt());
            case SandboxPauseFailed e ->
                sandbox(e, "sandbox.pause_failed", e.sandboxId(), e.actor()).with("reason", e.reason());
            case SandboxResumeFailed e ->
                sandbox(e, "sandbox.resume_failed", e.sandboxId(), e.actor()).with("reason", e.reason());
            case SandboxFailed e ->
                sandbox(e, "sandbox.failed", e.sandboxId(), e.actor()).with("reason", e.reason());
            case SandboxKilled e ->
                sandbox(e, "sandbox.ended", e.sandboxId(), e.actor())
                        .with("cause", "killed")
                        .with("reason", e.reason());
            case SandboxExpired e ->
                sandbox(e, "sandbox.ended", e.sandboxId(), e.actor()).with("cause", "expired");
            case CommandFinished e ->
                new Fields(e, "command.finished")
                        .with("commandId", e.commandId())
                        .with("sandboxId", e.sandboxId())
                        .with("exitCode", e.exitCode())
                        .with("timedOut", e.timedOut())
                        .with("cancelled", e.cancelled())
                        .with("startedAt", e.startedAt())
                        .with("finishedAt", e.finishedAt())
                        .with("durationMs", e.durationMs())
                        .with("actor", e.actor());
            case QuotaWarningReached e -> threshold(e, "warning", e.limit(), e.used(), e.cap(), e.period());
            case HardCapBreached e -> threshold(e, "breached", e.limit(), e.used(), e.cap(), e.period());
            case InvoiceFinalized e ->
                new Fields(e, "invoice.finalized")
                        .with("invoiceId", e.invoiceId())
                        .with("number", e.number())
                        .with("period", e.period())
                        .with("totalUsd", e.totalUsd())
                        .with("actor", e.actor());
            // the tenant may resume its paused sandboxes (a grant or a payment method lifted the credit stop)
            case CreditsRestored e ->
                new Fields(e, "credits.restored")
                        .with("availableUsd", e.availableUsd())
                        .with("cause", e.cause());
            default -> null;
        };
        return Optional.ofNullable(fields).map(Fields::event);
    }

    private static Fields sandbox(PlatformEvent source, String type, String sandboxId, String actor) {
        return new Fields(source, type).with("sandboxId", sandboxId).with("actor", actor);
    }

    /** A hard cap's bucket 80 % used ({@code warning}) or used up ({@code breached}). */
    private static Fields threshold(
            QuotaEvent source, String level, String limit, BigDecimal used, BigDecimal cap, String period) {
        return new Fields(source, "usage.threshold")
                .with("level", level)
                .with("projectId", source.projectId())
                .with("limit", limit)
                .with("used", used)
                .with("cap", cap)
                .with("period", period);
    }

    /** The data of one webhook event, in order; null values are left out. */
    private static final class Fields {
        private final PlatformEvent source;
        private final String type;
        private final Map<String, Object> data = new LinkedHashMap<>();

        Fields(PlatformEvent source, String type) {
            this.source = source;
            this.type = type;
        }

        Fields with(String name, Object value) {
            if (value != null) {
                data.put(name, value);
            }
            return this;
        }

        WebhookEvent event() {
            return new WebhookEvent("evt_" + source.eventId(), type, source.occurredAt(), source.tenantId(), data);
        }
    }
}
