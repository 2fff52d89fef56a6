package dev.crownest.audit.tombstone;

import dev.crownest.contracts.event.InvoiceEvent;
import dev.crownest.contracts.event.KeyEvent;
import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.QuotaEvent;
import dev.crownest.contracts.event.SandboxEvent;
import dev.crownest.contracts.event.TenantEvent;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * What an ending leaves behind: the kind of resource that ended and why. Who, what and when come
 * from the audit row it is written with.
 *
 * @param resourceKind {@code sandbox}, {@code api-key}, {@code admin-session}, {@code invoice} or {@code quota-bucket}
 * @param reason       free text, {@code null} when the event gives none
 */
public record Tombstone(String resourceKind, String reason) {

    /** The tombstone an event leaves, if it ends something. */
    public static Optional<Tombstone> of(PlatformEvent event) {
        return Optional.ofNullable(
                switch (event) {
                    case SandboxEvent.SandboxKilled e -> new Tombstone("sandbox", e.reason());
                    case SandboxEvent.SandboxExpired e -> new Tombstone("sandbox", "ttl expired");
                    case KeyEvent.ApiKeyRevoked e -> new Tombstone("api-key", null);
                    case TenantEvent.TenantAdminSessionRevoked e -> new Tombstone("admin-session", null);
                    case InvoiceEvent.InvoiceVoided e -> new Tombstone("invoice", e.reason());
                    // The bucket's sandboxes are killed by it; each kill leaves its own sandbox tombstone too.
                    case QuotaEvent.HardCapBreached e ->
                        new Tombstone(
                                "quota-bucket",
                                "hard cap " + e.limit() + " breached: used "
                                        + plain(e.used()) + " of " + plain(e.cap()) + " in period " + e.period()
                                        + "; the bucket's sandboxes are killed");
                    default -> null;
                });
    }

    private static String plain(BigDecimal amount) {
        return amount == null ? "?" : amount.toPlainString();
    }
}
