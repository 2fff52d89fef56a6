package dev.crownest.gateway.ratelimit;

import dev.crownest.contracts.api.ApiException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * A token bucket refilled lazily from the clock: {@code ratePerSecond} tokens a second up to
 * {@code burst}. Synchronized: one key's requests are few enough at a time that a lock never waits long.
 */
final class TokenBucket {
    private final double ratePerNano;
    private final double burst;
    private double tokens;
    private long refilledAt;
    private volatile long lastUsedAt;

    TokenBucket(double ratePerSecond, double burst, long nowNanos) {
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.refilledAt = nowNanos;
        this.lastUsedAt = nowNanos;
    }

    /** Takes a token: 0 when granted, else the nanoseconds until one is there. */
    synchronized long take(long nowNanos) {
        tokens = Math.min(burst, tokens + (nowNanos - refilledAt) * ratePerNano);
        refilledAt = nowNanos;
        lastUsedAt = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return (long) Math.ceil((1 - tokens) / ratePerNano);
    }

    /** Like {@link #take} without taking: 0 while a token is there, else the nanoseconds until one is. */
    synchronized long waitFor(long nowNanos) {
        double available = Math.min(burst, tokens + (nowNanos - refilledAt) * ratePerNano);
        return available >= 1 ? 0 : (long) Math.ceil((1 - available) / ratePerNano);
    }

    long lastUsedAt() {
        return lastUsedAt;
    }

    /** A wait as a {@code Retry-After} value: whole seconds, rounded up, at least 1. */
    static long retryAfterSeconds(long waitNanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toSeconds(waitNanos + TimeUnit.SECONDS.toNanos(1) - 1));
    }

    /** 429 {@code rate_limited}, with {@code Retry-After} set on the response; {@code why} says which limit. */
    static ApiException rateLimited(ServerRequest request, long waitNanos, String why) {
        long retryAfter = retryAfterSeconds(waitNanos);
        request.exchange().getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
        return new ApiException(
                HttpStatus.TOO_MANY_REQUESTS.value(),
                "rate_limit",
                "rate_limited",
                why + "; retry after " + retryAfter + " s");
    }

    /** Drops buckets unused for {@code idleNanos} (full again by then, so nothing is forgiven early). */
    static void forgetIdle(Map<String, TokenBucket> buckets, long idleNanos) {
        long now = System.nanoTime();
        buckets.values().removeIf(bucket -> now - bucket.lastUsedAt() > idleNanos);
    }
}
