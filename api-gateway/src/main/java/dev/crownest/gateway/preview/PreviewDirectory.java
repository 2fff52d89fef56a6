package dev.crownest.gateway.preview;

import dev.crownest.contracts.api.PreviewTarget;
import dev.crownest.contracts.security.InternalHeaders;
import dev.crownest.gateway.GatewayProperties;
import dev.crownest.gateway.sandbox.SandboxReadCache;
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
 * Finds the preview of a sandbox's port, with its owner, state and node, at sandbox-service
 * ({@code GET /internal/previews?sandboxId=&port=}: the active one, else the latest closed one). Answers
 * are reused for {@code crownest.preview.lookup-cache} (1 s), so a page with many assets costs one lookup,
 * but never past an event of the sandbox: the {@link SandboxReadCache} says when one arrived, so a killed
 * or ended sandbox is refused on the next request, not a second later.
 */
@Component
class PreviewDirectory {
    private static final int MAX_CACHED = 10_000;

    private record Cached(PreviewTarget target, Instant until, long ticket) {}

    private final WebClient client;
    private final String sandboxService;
    private final PreviewProperties properties;
    private final SandboxReadCache sandboxes;
    private final Clock clock;
    private final Map<PreviewHost, Cached> cache = new ConcurrentHashMap<>();

    PreviewDirectory(
            WebClient.Builder builder,
            GatewayProperties services,
            PreviewProperties properties,
            SandboxReadCache sandboxes,
            Clock clock) {
        this.client = builder.build();
        this.sandboxService = services.sandboxServiceUrl();
        this.properties = properties;
        this.sandboxes = sandboxes;
        this.clock = clock;
    }

    /** The preview of this host, or empty when the sandbox's port never had one. */
    Mono<Optional<PreviewTarget>> find(PreviewHost host, String requestId) {
        Instant now = clock.instant();
        Cached cached = cache.get(host);
        if (cached != null
                && cached.until().isAfter(now)
                && !sandboxes.changedSince(host.sandboxId(), cached.ticket())) {
            return Mono.just(Optional.of(cached.target()));
        }
        long ticket = sandboxes.ticket();
        return client.get()
                .uri(
                        sandboxService + "/internal/previews?sandboxId={sandbox}&port={port}",
                        host.sandboxId(),
                        host.port())
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
                        cache.put(host, new Cached(target, now.plus(properties.lookupCache()), ticket));
                        return Optional.of(target);
                    });
                });
    }

    /** Forgets a sandbox's previews at once (this gateway closed one). */
    void forget(String sandboxId) {
        cache.keySet().removeIf(host -> host.sandboxId().equals(sandboxId));
    }
}
