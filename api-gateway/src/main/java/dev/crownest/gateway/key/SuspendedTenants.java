package dev.crownest.gateway.key;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.event.TenantEvent;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The tenants suspended now, from the identity stream ({@code key-events}, replayed from the start like
 * the credentials): their API keys and admin sessions are answered 403 {@code tenant_suspended}. Events
 * of one tenant arrive in order (keyed by tenant), so the last of suspend and unsuspend holds.
 */
@Component
public class SuspendedTenants {
    private final Set<String> suspended = ConcurrentHashMap.newKeySet();

    /** Applies one tenant event; idempotent, so redelivery and replay are harmless. */
    public void apply(TenantEvent event) {
        switch (event) {
            case TenantEvent.TenantSuspended s -> suspended.add(s.tenantId());
            case TenantEvent.TenantUnsuspended u -> suspended.remove(u.tenantId());
            default -> {}
        }
    }

    public boolean isSuspended(String tenantId) {
        return tenantId != null && suspended.contains(tenantId);
    }

    /** The refusal a suspended tenant's credentials get, on every route. */
    public static ApiException refusal() {
        return ApiException.forbidden(
                "tenant_suspended",
                "this tenant is suspended by the platform operator: its API keys and admin sessions are refused"
                        + " and its sandboxes paused until it is unsuspended");
    }
}
