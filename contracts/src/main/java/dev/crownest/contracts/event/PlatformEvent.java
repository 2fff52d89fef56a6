package dev.crownest.contracts.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.UUID;

/**
 * An event that crosses a service boundary over Kafka. Serialized as JSON with a {@code type}
 * discriminator; consumers are idempotent by {@link #eventId()}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = SandboxEvent.SandboxCreated.class, name = "SandboxCreated"),
    @JsonSubTypes.Type(value = SandboxEvent.SandboxStarted.class, name = "SandboxStarted"),
    @JsonSubTypes.Type(value = SandboxEvent.SandboxFailed.class, name = "SandboxFailed"),
    @JsonSubTypes.Type(value = SandboxEvent.SandboxKilled.class, name = "SandboxKilled"),
    @JsonSubTypes.Type(value = SandboxEvent.SandboxExpired.class, name = "SandboxExpired"),
    @JsonSubTypes.Type(value = SandboxEvent.SandboxPaused.class, name = "SandboxPaused"),
    @JsonSubTypes.Type(value = SandboxEvent.SandboxResumed.class, name = "SandboxResumed"),
    @JsonSubTypes.Type(value = SandboxEvent.SandboxPauseFailed.class, name = "SandboxPauseFailed"),
    @JsonSubTypes.Type(value = SandboxEvent.SandboxResumeFailed.class, name = "SandboxResumeFailed"),
    @JsonSubTypes.Type(value = SandboxEvent.SandboxTtlExtended.class, name = "SandboxTtlExtended"),
    @JsonSubTypes.Type(value = SandboxEvent.SnapshotStored.class, name = "SnapshotStored"),
    @JsonSubTypes.Type(value = SandboxEvent.SnapshotDeleted.class, name = "SnapshotDeleted"),
    @JsonSubTypes.Type(value = PreviewEvent.PreviewCreated.class, name = "PreviewCreated"),
    @JsonSubTypes.Type(value = PreviewEvent.PreviewClosed.class, name = "PreviewClosed"),
    @JsonSubTypes.Type(value = CommandEvent.CommandStarted.class, name = "CommandStarted"),
    @JsonSubTypes.Type(value = CommandEvent.CommandFinished.class, name = "CommandFinished"),
    @JsonSubTypes.Type(value = CommandEvent.CommandCancelRequested.class, name = "CommandCancelRequested"),
    @JsonSubTypes.Type(value = CommandEvent.ArtifactCollected.class, name = "ArtifactCollected"),
    @JsonSubTypes.Type(value = CommandFact.CommandAccepted.class, name = "CommandAccepted"),
    @JsonSubTypes.Type(value = CommandFact.CommandExited.class, name = "CommandExited"),
    @JsonSubTypes.Type(value = KeyEvent.ApiKeyCreated.class, name = "ApiKeyCreated"),
    @JsonSubTypes.Type(value = KeyEvent.ApiKeyRevoked.class, name = "ApiKeyRevoked"),
    @JsonSubTypes.Type(value = TenantEvent.TenantCreated.class, name = "TenantCreated"),
    @JsonSubTypes.Type(value = TenantEvent.TenantAdminSessionOpened.class, name = "TenantAdminSessionOpened"),
    @JsonSubTypes.Type(value = TenantEvent.TenantAdminSessionRevoked.class, name = "TenantAdminSessionRevoked"),
    @JsonSubTypes.Type(value = TenantEvent.TenantPlanChanged.class, name = "TenantPlanChanged"),
    @JsonSubTypes.Type(value = TenantEvent.TenantPricingPinned.class, name = "TenantPricingPinned"),
    @JsonSubTypes.Type(value = TenantEvent.TenantSuspended.class, name = "TenantSuspended"),
    @JsonSubTypes.Type(value = TenantEvent.TenantUnsuspended.class, name = "TenantUnsuspended"),
    @JsonSubTypes.Type(value = ProjectEvent.ProjectCreated.class, name = "ProjectCreated"),
    @JsonSubTypes.Type(value = UsageSampled.class, name = "UsageSampled"),
    @JsonSubTypes.Type(value = UsageRated.class, name = "UsageRated"),
    @JsonSubTypes.Type(value = NodeHeartbeat.class, name = "NodeHeartbeat"),
    @JsonSubTypes.Type(value = HeartbeatProbe.class, name = "HeartbeatProbe"),
    @JsonSubTypes.Type(value = SandboxDiedOnNode.class, name = "SandboxDiedOnNode"),
    @JsonSubTypes.Type(value = SandboxFilesChanged.class, name = "SandboxFilesChanged"),
    @JsonSubTypes.Type(value = SandboxPtyChanged.class, name = "SandboxPtyChanged"),
    @JsonSubTypes.Type(value = QuotaEvent.QuotaWarningReached.class, name = "QuotaWarningReached"),
    @JsonSubTypes.Type(value = QuotaEvent.HardCapBreached.class, name = "HardCapBreached"),
    @JsonSubTypes.Type(value = QuotaEvent.QuotaChanged.class, name = "QuotaChanged"),
    @JsonSubTypes.Type(value = InvoiceEvent.InvoiceFinalized.class, name = "InvoiceFinalized"),
    @JsonSubTypes.Type(value = InvoiceEvent.InvoiceVoided.class, name = "InvoiceVoided"),
    @JsonSubTypes.Type(value = InvoiceEvent.CreditNoteIssued.class, name = "CreditNoteIssued"),
    @JsonSubTypes.Type(value = CreditEvent.CreditsExhausted.class, name = "CreditsExhausted"),
    @JsonSubTypes.Type(value = CreditEvent.CreditsRestored.class, name = "CreditsRestored"),
    @JsonSubTypes.Type(value = TemplateEvent.TemplateBuildRequested.class, name = "TemplateBuildRequested"),
    @JsonSubTypes.Type(value = TemplateEvent.TemplateBuilt.class, name = "TemplateBuilt"),
    @JsonSubTypes.Type(value = TemplateEvent.TemplateBuildFailed.class, name = "TemplateBuildFailed"),
    @JsonSubTypes.Type(value = TemplateEvent.TemplateDeleted.class, name = "TemplateDeleted"),
    @JsonSubTypes.Type(value = EgressDenied.class, name = "EgressDenied"),
})
public sealed interface PlatformEvent
        permits SandboxEvent,
                PreviewEvent,
                CommandEvent,
                CommandFact,
                KeyEvent,
                TenantEvent,
                ProjectEvent,
                UsageSampled,
                UsageRated,
                NodeHeartbeat,
                HeartbeatProbe,
                SandboxDiedOnNode,
                SandboxFilesChanged,
                SandboxPtyChanged,
                QuotaEvent,
                InvoiceEvent,
                CreditEvent,
                TemplateEvent,
                EgressDenied {

    /** Unique per event; the idempotency key of every consumer. */
    UUID eventId();

    /** Owning tenant; {@code null} only for node-level events. */
    String tenantId();

    Instant occurredAt();

    /** Version of this record's shape; bump when a field changes meaning. */
    int schemaVersion();

    /** The id of the resource the event is about (sandbox, command, key, node). */
    String resourceId();

    /** Who caused it: an API key id, {@code operator}, {@code system:ttl}, a node id. */
    default String actor() {
        return "system";
    }
}
