package dev.crownest.kit.auth;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Service-to-service authentication ({@code crownest.service-auth.*}).
 *
 * @param secret        the stack's service secret (env {@code CROWNEST_SERVICE_AUTH_SECRET}, at least 32
 *                      characters; {@code ./crownest up} generates one per {@code CROWNEST_HOME}); a service
 *                      does not start without it
 * @param tokenTtl      how long a token this service sends lives (renewed before it runs out)
 * @param internalHosts hosts besides loopback that outbound calls carry the credential to: the other machines'
 *                      addresses when the stack spans several (env {@code CROWNEST_SERVICE_AUTH_INTERNAL_HOSTS},
 *                      comma-separated); a call to any other host never gets it
 */
@ConfigurationProperties("crownest.service-auth")
public record ServiceAuthProperties(
        String secret,
        @DefaultValue("5m") Duration tokenTtl,
        @DefaultValue List<String> internalHosts) {}
