package dev.crownest.gateway.ratelimit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import reactor.core.publisher.Mono;

/**
 * Limits sign-ups per source address ({@code crownest.signup-limit.*}, a token bucket: a burst of 5, then
 * one every 12 s by default), since the route takes no credential. Every attempt counts, refused ones
 * included, so probing emails is as slow as signing up; past the limit the answer is 429
 * {@code rate_limited} with {@code Retry-After}, before the body is read.
 */
@Component
public class SignupLimit {
    private static final long IDLE_NANOS = TimeUnit.MINUTES.toNanos(10);

    private final SignupLimitProperties limit;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    SignupLimit(SignupLimitProperties limit) {
        this.limit = limit;
    }

    /** Completes when this address may sign up now; a 429 error otherwise. */
    public Mono<Void> take(ServerRequest request) {
        long now = System.nanoTime();
        long waitNanos = buckets.computeIfAbsent(
                        FailedAuthentications.source(request.exchange().getRequest()),
                        k -> new TokenBucket(limit.perMinute() / 60.0, limit.burst(), now))
                .take(now);
        if (waitNanos == 0) {
            return Mono.empty();
        }
        return Mono.error(TokenBucket.rateLimited(request, waitNanos, "too many sign-ups from this address"));
    }

    /** Forgets addresses idle for ten minutes (their buckets are full again by then). */
    @Scheduled(fixedDelay = 60_000)
    void forgetIdle() {
        TokenBucket.forgetIdle(buckets, IDLE_NANOS);
    }
}
