package dev.crownest.gateway.ratelimit;

import dev.crownest.gateway.key.ApiKeyAuthentication;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.HandlerFilterFunction;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Per-key rate limits on tenant routes: a token bucket per API key; a key over its rate gets 429
 * {@code rate_limited} with {@code Retry-After} in whole seconds, and nothing is forwarded. Behind
 * {@link ApiKeyAuthentication}, so it counts authenticated calls by key id. The limit holds per
 * gateway: with N gateways a key may reach N times the rate.
 */
@Component
public class KeyRateLimits implements HandlerFilterFunction<ServerResponse, ServerResponse> {
    private static final long IDLE_NANOS = TimeUnit.MINUTES.toNanos(10);

    private final RateLimitProperties limits;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    KeyRateLimits(RateLimitProperties limits) {
        this.limits = limits;
    }

    @Override
    public Mono<ServerResponse> filter(ServerRequest request, HandlerFunction<ServerResponse> next) {
        var grant = ApiKeyAuthentication.grant(request);
        var limit = limits.forTenant(grant.tenantId());
        long now = System.nanoTime();
        long waitNanos = buckets.computeIfAbsent(
                        grant.keyId(), k -> new TokenBucket(limit.requestsPerSecond(), limit.burst(), now))
                .take(now);
        if (waitNanos == 0) {
            return next.handle(request);
        }
        return Mono.error(TokenBucket.rateLimited(
                request,
                waitNanos,
                "this key made more than " + (long) limit.requestsPerSecond() + " requests a second"));
    }

    /** Forgets keys idle for ten minutes (a full bucket is what a new one starts with anyway). */
    @Scheduled(fixedDelay = 60_000)
    void forgetIdleKeys() {
        TokenBucket.forgetIdle(buckets, IDLE_NANOS);
    }
}
