package dev.crownest.sandbox.lifecycle;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may ask for which network mode ({@code crownest.sandbox.open-network-tenants}, env
 * {@code CROWNEST_SANDBOX_OPEN_NETWORK_TENANTS}, comma-separated tenant ids; default none). Modes off
 * and restricted are for every tenant; open (full egress, still never to private ranges or the host)
 * only for the tenants listed here. Injected into the create handler like {@link TemplateCatalog}.
 */
@ConfigurationProperties(prefix = "crownest.sandbox")
public record NetworkPolicy(@DefaultValue({}) List<String> openNetworkTenants) {

    public boolean allowsOpen(String tenantId) {
        return openNetworkTenants.contains(tenantId);
    }
}
