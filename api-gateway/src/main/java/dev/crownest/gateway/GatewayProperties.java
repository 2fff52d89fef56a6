package dev.crownest.gateway;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The gateway's {@code crownest.*} settings (docs/services.md); each one is overridable by environment,
 * e.g. {@code CROWNEST_SANDBOX_SERVICE_URL}.
 *
 * @param sandboxService where sandbox-service listens
 * @param metering       where metering-service listens
 * @param audit          where audit-service listens
 * @param billing        where billing-service listens
 * @param bootstrap      operator credentials, as hashes only
 * @param gateway        limits of the edge itself
 */
@ConfigurationProperties("crownest")
public record GatewayProperties(
        @DefaultValue Service sandboxService,
        @DefaultValue Service metering,
        @DefaultValue Service audit,
        @DefaultValue Service billing,
        @DefaultValue Bootstrap bootstrap,
        @DefaultValue Gateway gateway) {

    /** A downstream service; an empty url falls back to the documented default. */
    public record Service(String url) {}

    /** @param adminTokenHash SHA-256 hex of the operator's session token; empty means no operator */
    public record Bootstrap(@DefaultValue("") String adminTokenHash) {}

    /**
     * @param maxBodySize         largest request body accepted (413 above)
     * @param maxUpstreamBodySize largest answer buffered from a service
     * @param connectTimeout      how long to wait for a service's TCP connect before answering 503
     * @param streamIdleGrace     added to a command's timeout before a silent output stream is given up
     */
    public record Gateway(
            @DefaultValue("1MB") DataSize maxBodySize,
            @DefaultValue("16MB") DataSize maxUpstreamBodySize,
            @DefaultValue("2s") Duration connectTimeout,
            @DefaultValue("30s") Duration streamIdleGrace) {}

    public String sandboxServiceUrl() {
        return urlOr(sandboxService, "http://localhost:8081");
    }

    public String meteringUrl() {
        return urlOr(metering, "http://localhost:8084");
    }

    public String auditUrl() {
        return urlOr(audit, "http://localhost:8086");
    }

    public String billingUrl() {
        return urlOr(billing, "http://localhost:8085");
    }

    private static String urlOr(Service service, String fallback) {
        String url = service == null || service.url() == null || service.url().isBlank() ? fallback : service.url();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
