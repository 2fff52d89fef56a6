package dev.crownest.audit.log;

import dev.crownest.contracts.event.CommandEvent;
import dev.crownest.contracts.event.CreditEvent;
import dev.crownest.contracts.event.EgressDenied;
import dev.crownest.contracts.event.InvoiceEvent;
import dev.crownest.contracts.event.KeyEvent;
import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.PreviewEvent;
import dev.crownest.contracts.event.ProjectEvent;
import dev.crownest.contracts.event.QuotaEvent;
import dev.crownest.contracts.event.SandboxEvent;
import dev.crownest.contracts.event.SandboxFilesChanged;
import dev.crownest.contracts.event.SandboxPtyChanged;
import dev.crownest.contracts.event.TemplateEvent;
import dev.crownest.contracts.event.TenantEvent;

/** The audit action name of an event, e.g. {@code sandbox.killed}. */
public final class AuditActions {
    public static final String SANDBOX_CREATED = "sandbox.created";
    public static final String SANDBOX_STARTED = "sandbox.started";
    public static final String SANDBOX_FAILED = "sandbox.failed";
    public static final String SANDBOX_KILLED = "sandbox.killed";
    public static final String SANDBOX_EXPIRED = "sandbox.expired";
    public static final String SANDBOX_PAUSED = "sandbox.paused";
    public static final String SANDBOX_RESUMED = "sandbox.resumed";
    public static final String SANDBOX_PAUSE_FAILED = "sandbox.pause_failed";
    public static final String SANDBOX_RESUME_FAILED = "sandbox.resume_failed";
    public static final String SANDBOX_TTL_EXTENDED = "sandbox.ttl_extended";
    public static final String KEY_CREATED = "key.created";
    public static final String KEY_REVOKED = "key.revoked";
    public static final String EGRESS_DENIED = "egress.denied";

    private AuditActions() {}

    static String of(PlatformEvent event) {
        return switch (event) {
            case SandboxEvent.SandboxCreated e -> SANDBOX_CREATED;
            case SandboxEvent.SandboxStarted e -> SANDBOX_STARTED;
            case SandboxEvent.SandboxFailed e -> SANDBOX_FAILED;
            case SandboxEvent.SandboxKilled e -> SANDBOX_KILLED;
            case SandboxEvent.SandboxExpired e -> SANDBOX_EXPIRED;
            case SandboxEvent.SandboxPaused e -> SANDBOX_PAUSED;
            case SandboxEvent.SandboxResumed e -> SANDBOX_RESUMED;
            case SandboxEvent.SandboxPauseFailed e -> SANDBOX_PAUSE_FAILED;
            case SandboxEvent.SandboxResumeFailed e -> SANDBOX_RESUME_FAILED;
            case SandboxEvent.SandboxTtlExtended e -> SANDBOX_TTL_EXTENDED;
            case PreviewEvent.PreviewCreated e -> "preview.created";
            case PreviewEvent.PreviewClosed e -> "preview.closed";
            case CommandEvent.CommandStarted e -> "command.started";
            case CommandEvent.CommandCancelRequested e -> "command.cancel_requested";
            case CommandEvent.CommandFinished e -> "command.finished";
            case CommandEvent.ArtifactCollected e -> "artifact.collected";
            case SandboxFilesChanged e -> "file." + e.operation();
            case SandboxPtyChanged e -> "sandbox.pty_" + e.operation();
            case KeyEvent.ApiKeyCreated e -> KEY_CREATED;
            case KeyEvent.ApiKeyRevoked e -> KEY_REVOKED;
            case TenantEvent.TenantCreated e -> "tenant.created";
            case TenantEvent.TenantAdminSessionOpened e -> "tenant.admin_session_opened";
            case TenantEvent.TenantAdminSessionRevoked e -> "tenant.admin_session_revoked";
            case TenantEvent.TenantPlanChanged e -> "tenant.plan_changed";
            case TenantEvent.TenantPricingPinned e -> "tenant.pricing_pinned";
            case TenantEvent.TenantSuspended e -> "tenant.suspended";
            case TenantEvent.TenantUnsuspended e -> "tenant.unsuspended";
            case ProjectEvent.ProjectCreated e -> "project.created";
            case QuotaEvent.QuotaWarningReached e -> "quota.warning_reached";
            case QuotaEvent.HardCapBreached e -> "quota.hard_cap_breached";
            case QuotaEvent.QuotaChanged e -> "quota.changed";
            case InvoiceEvent.InvoiceFinalized e -> "invoice.finalized";
            case InvoiceEvent.InvoiceVoided e -> "invoice.voided";
            case InvoiceEvent.CreditNoteIssued e -> "invoice.credit_note_issued";
            case CreditEvent.CreditsExhausted e -> "credits.exhausted";
            case CreditEvent.CreditsRestored e -> "credits.restored";
            case TemplateEvent.TemplateBuildRequested e -> "template.build_requested";
            case TemplateEvent.TemplateBuilt e -> "template.built";
            case TemplateEvent.TemplateBuildFailed e -> "template.build_failed";
            case TemplateEvent.TemplateDeleted e -> "template.deleted";
            case EgressDenied e -> EGRESS_DENIED;
            default -> event.getClass().getSimpleName();
        };
    }
}
