package dev.crownest.gateway.project;

import dev.crownest.contracts.security.InternalHeaders;
import dev.crownest.gateway.GatewayProperties;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Mono;

/**
 * Whether a tenant or a tenant's project exists, asked of sandbox-service; positive answers are
 * remembered (neither is ever deleted), negative ones never, so a project made a moment ago is found.
 */
@Component
public class ProjectDirectory {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final int MAX_REMEMBERED = 100_000;
    /** What ids of tenants and projects look like; anything else names none, and is never sent on. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final WebClient client;
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    public ProjectDirectory(WebClient.Builder builder, GatewayProperties services) {
        this.client = builder.baseUrl(services.sandboxServiceUrl()).build();
    }

    public Mono<Boolean> tenantExists(String tenant) {
        if (!ID.matcher(tenant).matches()) {
            return Mono.just(false);
        }
        return exists("t:" + tenant, client.get().uri("/internal/tenants/{id}", tenant));
    }

    public Mono<Boolean> projectExists(String tenant, String project) {
        if (!ID.matcher(project).matches()) {
            return Mono.just(false);
        }
        return exists(
                "p:" + tenant + "\u001f" + project,
                client.get().uri("/internal/projects/{id}", project).header(InternalHeaders.TENANT_ID, tenant));
    }

    private Mono<Boolean> exists(String key, WebClient.RequestHeadersSpec<?> call) {
        if (known.contains(key)) {
            return Mono.just(true);
        }
        return call.retrieve()
                .toBodilessEntity()
                .timeout(TIMEOUT)
                .map(ok -> {
                    if (known.size() >= MAX_REMEMBERED) {
                        known.clear();
                    }
                    known.add(key);
                    return true;
                })
                .onErrorResume(
                        e -> e instanceof WebClientResponseException w
                                && w.getStatusCode().is4xxClientError(),
                        e -> Mono.just(false));
    }
}
