package dev.crownest.gateway.ratelimit;

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
}
