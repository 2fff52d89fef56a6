package dev.crownest.gateway.key;

import dev.crownest.gateway.GatewayProperties;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Mono;

/**
 * Asks sandbox-service for a credential this gateway has not met yet, by the SHA-256 of what was
 * presented. Events no longer carry credential hashes (issue 15, F4), so this is how a gateway learns
 * a key or session made elsewhere; the answer is remembered in the {@link ApiKeyCache} or the
 * {@link TenantAdminSessions}, and revocations still arrive on {@code key-events} by id.
 */
@Component
public class CredentialLookup {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    record KeyAnswer(String keyId, String tenantId, List<String> scopes, String projectId) {}

    record SessionAnswer(String sessionId, String tenantId) {}

    private final WebClient client;

    public CredentialLookup(WebClient.Builder builder, GatewayProperties services) {
        this.client = builder.baseUrl(services.sandboxServiceUrl()).build();
    }

    /** The live key whose secret hashes to {@code hash}, or empty. */
    public Mono<ApiKeyGrant> key(String hash) {
        return client.get()
                .uri("/internal/credentials/keys/{hash}", hash)
                .retrieve()
                .bodyToMono(KeyAnswer.class)
                .timeout(TIMEOUT)
                // an answer without an id or a tenant grants nothing
                .filter(k -> k.keyId() != null && k.tenantId() != null)
                .map(k -> new ApiKeyGrant(
                        k.keyId(),
                        k.tenantId(),
                        k.scopes() == null ? Set.of() : Set.copyOf(k.scopes()),
                        k.projectId(),
                        hash))
                .onErrorResume(CredentialLookup::unknown, e -> Mono.empty());
    }

    /** The live admin session whose token hashes to {@code hash}, or empty. */
    public Mono<TenantAdminSessions.AdminSession> session(String hash) {
        return client.get()
                .uri("/internal/credentials/sessions/{hash}", hash)
                .retrieve()
                .bodyToMono(SessionAnswer.class)
                .timeout(TIMEOUT)
                .filter(s -> s.sessionId() != null && s.tenantId() != null)
                .map(s -> new TenantAdminSessions.AdminSession(s.sessionId(), s.tenantId(), hash))
                .onErrorResume(CredentialLookup::unknown, e -> Mono.empty());
    }

    /** Only "no such credential" is an empty answer; sandbox-service away stays an error (503). */
    private static boolean unknown(Throwable e) {
        return e instanceof WebClientResponseException w && w.getStatusCode().value() == HttpStatus.NOT_FOUND.value();
    }
}
