package dev.crownest.gateway.ratelimit;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.gateway.key.ApiKeyAuthentication;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Limits failed authentications per source address and credential prefix (the first characters of the
 * key, token or preview session presented, or none), so guessing credentials is slow: each 401 takes a
 * token of that pair's bucket, and a pair with none left is answered 429 {@code auth_rate_limited} with
 * {@code Retry-After} before anything else is done, until its bucket refills. Successful requests cost
 * nothing. Every route is behind it, the previews' hosts included.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
public class FailedAuthentications implements WebFilter {
    /** Enough to tell credentials apart by their public prefix, far too little to carry a secret. */
    static final int PREFIX_LENGTH = 12;

    private static final long IDLE_NANOS = TimeUnit.MINUTES.toNanos(10);
    private static final String PREVIEW_COOKIE = "crownest_preview";

    private final AuthLimitProperties limit;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    FailedAuthentications(AuthLimitProperties limit) {
        this.limit = limit;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String who = source(exchange.getRequest()) + "|" + prefix(exchange.getRequest());
        long now = System.nanoTime();
        TokenBucket bucket = buckets.get(who);
        long waitNanos = bucket == null ? 0 : bucket.waitFor(now);
        if (waitNanos > 0) {
            long retryAfter = TokenBucket.retryAfterSeconds(waitNanos);
            exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
            return Mono.error(new ApiException(
                    HttpStatus.TOO_MANY_REQUESTS.value(),
                    "rate_limit",
                    "auth_rate_limited",
                    "too many failed authentications from this address; retry after " + retryAfter + " s"));
        }
        return chain.filter(exchange)
                .doOnSuccess(done -> {
                    HttpStatusCode status = exchange.getResponse().getStatusCode();
                    if (status != null && status.value() == HttpStatus.UNAUTHORIZED.value()) {
                        failed(who);
                    }
                })
                .doOnError(ApiException.class, refused -> {
                    if (refused.status() == HttpStatus.UNAUTHORIZED.value()) {
                        failed(who);
                    }
                });
    }

    private void failed(String who) {
        long now = System.nanoTime();
        buckets.computeIfAbsent(who, k -> new TokenBucket(limit.failuresPerMinute() / 60.0, limit.burst(), now))
                .take(now);
    }

    /** The address a request came from (the peer; no forwarded header is trusted). */
    static String source(ServerHttpRequest request) {
        InetSocketAddress remote = request.getRemoteAddress();
        return remote == null || remote.getAddress() == null
                ? "unknown"
                : remote.getAddress().getHostAddress();
    }

    /** The presented credential's first characters: keys and tokens start with their public kind. */
    private static String prefix(ServerHttpRequest request) {
        String credential = request.getHeaders().getFirst(ApiKeyAuthentication.API_KEY_HEADER);
        if (credential == null) {
            credential = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        }
        if (credential == null) {
            HttpCookie session = request.getCookies().getFirst(PREVIEW_COOKIE);
            credential = session == null ? "" : session.getValue();
        }
        String trimmed = credential.trim();
        return trimmed.substring(0, Math.min(PREFIX_LENGTH, trimmed.length()));
    }

    /** Forgets pairs idle for ten minutes (their buckets are full again by then). */
    @Scheduled(fixedDelay = 60_000)
    void forgetIdle() {
        TokenBucket.forgetIdle(buckets, IDLE_NANOS);
    }
}
