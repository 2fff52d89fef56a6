package dev.crownest.gateway.preview;

import dev.crownest.contracts.api.PreviewTarget;
import dev.crownest.contracts.security.InternalHeaders;
import dev.crownest.gateway.GatewayProperties;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * Finds a preview's owner, state and node at sandbox-service ({@code GET /internal/previews/{id}}).
 * Answers are reused for {@code crownest.preview.lookup-cache} (1 s), so a page with many assets costs
 * one lookup, and a closed preview is refused within that time at every gateway.
 */
@Component
class PreviewDirectory {
    private static final int MAX_CACHED = 10_000;

    private record Cached(PreviewTarget target, Instant until) {}

    private final WebClient client;
    private final String sandboxService;
    private final PreviewProperties properties;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    PreviewDirectory(WebClient.Builder builder, GatewayProperties services, PreviewProperties properties, Clock clock) {
        this.client = builder.build();
        this.sandboxService = services.sandboxServiceUrl();
        this.properties = properties;
        this.clock = clock;
    }

    /** The preview, or empty when there is none with this id. */
    Mono<Optional<PreviewTarget>> find(String previewId, String requestId) {
        Instant now = clock.instant();
        Cached cached = cache.get(previewId);
        if (cached != null && cached.until().isAfter(now)) {
            return Mono.just(Optional.of(cached.target()));
        }
        return client.get()
                .uri(sandboxService + "/internal/previews/{id}", previewId)
                .header(InternalHeaders.REQUEST_ID, requestId)
                .exchangeToMono(response -> {
                    if (response.statusCode().value() == HttpStatus.NOT_FOUND.value()) {
                        return response.releaseBody().thenReturn(Optional.<PreviewTarget>empty());
                    }
                    if (!response.statusCode().is2xxSuccessful()) {
                        return response.createError();
                    }
                    return response.bodyToMono(PreviewTarget.class).map(target -> {
                        if (cache.size() > MAX_CACHED) {
                            cache.clear();
                        }
                        cache.put(previewId, new Cached(target, now.plus(properties.lookupCache())));
                        return Optional.of(target);
                    });
                });
    }

    /** Forgets a preview at once (this gateway closed it). */
    void forget(String previewId) {
        cache.remove(previewId);
    }
}
