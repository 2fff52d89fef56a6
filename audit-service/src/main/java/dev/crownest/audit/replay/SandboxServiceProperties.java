package dev.crownest.audit.replay;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where replay fetches sandbox-service's live read models ({@code crownest.sandbox-service.*}).
 *
 * @param url     base URL, default {@code http://localhost:8081} (env {@code CROWNEST_SANDBOX_SERVICE_URL})
 * @param timeout connect and read timeout of the snapshot call, default 10 s
 */
@ConfigurationProperties("crownest.sandbox-service")
public record SandboxServiceProperties(
        @DefaultValue("http://localhost:8081") URI url,
        @DefaultValue("10s") Duration timeout) {}
