package dev.crownest.gateway.preview;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.api.PreviewTarget;
import dev.crownest.contracts.security.Scopes;
import dev.crownest.gateway.key.ApiKeyAuthentication;
import dev.crownest.gateway.key.ApiKeyCache;
import dev.crownest.gateway.key.ApiKeyGrant;
import dev.crownest.gateway.request.RequestIds;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseCookie;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Serves the preview hosts ({@link PreviewHost}): every request whose host is under
 * {@code crownest.preview.domain} is taken here, before any API filter or route, and never reaches them,
 * so no API route answers on a preview's origin; an unknown name under the domain is 404.
 *
 * <p>A caller gets through with an API key of the preview's tenant (and project, for a restricted key)
 * holding {@code previews:read}, or with the preview's session cookie; anything else is 401 before the
 * preview is looked up. Another tenant's preview is 404, a closed one (or one whose sandbox ended) 410.
 * A session ends with the key that minted its token (checked against the key cache on each request).
 *
 * <p>{@code GET /_crownest/session?token=...} on the preview's host exchanges a token from
 * {@code POST .../previews/{pid}/tokens} for the session cookie: host-only (no Domain), Path /, HttpOnly,
 * SameSite=Lax, Secure on HTTPS, signed and expiring; then 303 to {@code /}. A token works once per gateway.
 */
@Component
/* after the request id and the limit on failed authentications, before everything of the API */
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
public class PreviewGate implements WebFilter {
    static final String COOKIE = "crownest_preview";
    static final String SESSION_PATH = "/_crownest/session";
    private static final int MAX_USED_TOKENS = 100_000;

    private final ApiKeyCache keys;
    private final PreviewDirectory directory;
    private final PreviewProxy proxy;
    private final PreviewSigner signer;
    private final PreviewProperties properties;
    private final Clock clock;
    /** Nonces of exchanged tokens until they expire: a token opens one session. */
    private final Map<String, Instant> usedTokens = new ConcurrentHashMap<>();

    PreviewGate(
            ApiKeyCache keys,
            PreviewDirectory directory,
            PreviewProxy proxy,
            PreviewSigner signer,
            PreviewProperties properties,
            Clock clock) {
        this.keys = keys;
        this.directory = directory;
        this.proxy = proxy;
        this.signer = signer;
        this.properties = properties;
        this.clock = clock;
    }

    /** Whether the request names a preview host (the API is never served there). */
    public boolean isPreviewHost(ServerHttpRequest request) {
        return PreviewHost.inPreviewSpace(request.getURI().getHost(), properties.domain());
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        if (!isPreviewHost(request)) {
            return chain.filter(exchange);
        }
        Optional<PreviewHost> host = PreviewHost.parse(request.getURI().getHost(), properties.domain());
        if (host.isEmpty()) {
            return Mono.error(new ApiException(
                    HttpStatus.NOT_FOUND.value(), "not_found", "preview_not_found", "no preview on this host"));
        }
        String path = request.getPath().value();
        Optional<String> token = Optional.ofNullable(request.getQueryParams().getFirst("token"));
        if (SESSION_PATH.equals(path) && token.isPresent()) {
            return exchangeToken(exchange, host.get(), token.get());
        }
        String rawQuery = request.getURI().getRawQuery();
        String pathAndQuery = path + (rawQuery == null ? "" : "?" + rawQuery);
        return authorize(exchange, host.get()).flatMap(target -> proxy.forward(exchange, target, pathAndQuery));
    }

    private Mono<Void> exchangeToken(ServerWebExchange exchange, PreviewHost host, String token) {
        return usable(exchange, host, target -> true).flatMap(target -> {
            Optional<PreviewSigner.Signed> signed = signer.verify(token, PreviewSigner.TOKEN, target.previewId());
            if (signed.isEmpty()) {
                return Mono.error(ApiException.unauthenticated(
                        "invalid_preview_token", "the preview token is invalid, expired or for another preview"));
            }
            if (keys.isRevoked(signed.get().keyId())) {
                return Mono.error(revoked());
            }
            Instant now = clock.instant();
            if (usedTokens.size() > MAX_USED_TOKENS) {
                usedTokens.values().removeIf(expiry -> expiry.isBefore(now));
            }
            if (usedTokens.putIfAbsent(signed.get().nonce(), now.plus(properties.tokenTtl())) != null) {
                return Mono.error(
                        ApiException.unauthenticated("preview_token_used", "the preview token was used already"));
            }
            Instant expiresAt = now.plus(properties.sessionTtl());
            // no Domain: the cookie is this host's alone, never sent to the API or another preview
            ResponseCookie cookie = ResponseCookie.from(
                            COOKIE,
                            signer.sign(
                                    PreviewSigner.SESSION,
                                    target.previewId(),
                                    signed.get().keyId(),
                                    expiresAt))
                    .path("/")
                    .httpOnly(true)
                    .sameSite("Lax")
                    .secure("https".equals(exchange.getRequest().getURI().getScheme()))
                    .maxAge(properties.sessionTtl())
                    .build();
            ServerHttpResponse response = exchange.getResponse();
            response.setStatusCode(HttpStatus.SEE_OTHER);
            response.getHeaders().setLocation(URI.create("/"));
            response.getHeaders().setCacheControl("no-store");
            response.getHeaders().set("Referrer-Policy", "no-referrer");
            response.addCookie(cookie);
            return response.setComplete();
        });
    }

    /** The preview if this caller may use it; a refusal in the ApiError shape otherwise. */
    private Mono<PreviewTarget> authorize(ServerWebExchange exchange, PreviewHost host) {
        HttpHeaders headers = exchange.getRequest().getHeaders();
        String key = headers.getFirst(ApiKeyAuthentication.API_KEY_HEADER);
        if (key != null && !key.isBlank()) {
            Optional<ApiKeyGrant> grant = keys.find(key.trim());
            if (grant.isEmpty()) {
                return Mono.error(
                        keys.wasRevoked(key.trim())
                                ? ApiException.unauthenticated("key_revoked", "the API key was revoked")
                                : ApiException.unauthenticated("invalid_api_key", "the API key is unknown or revoked"));
            }
            if (!grant.get().allows(Scopes.PREVIEWS_READ)) {
                return Mono.error(new ApiException(
                        HttpStatus.FORBIDDEN.value(),
                        "permission",
                        "missing_scope",
                        "this key lacks scope " + Scopes.PREVIEWS_READ));
            }
            ApiKeyGrant caller = grant.get();
            return usable(
                    exchange,
                    host,
                    target -> target.tenantId().equals(caller.tenantId())
                            && (caller.projectId() == null || caller.projectId().equals(target.projectId())));
        }
        List<HttpCookie> cookies = exchange.getRequest().getCookies().getOrDefault(COOKIE, List.of());
        if (cookies.isEmpty()) {
            return Mono.error(ApiException.unauthenticated(
                    "preview_auth_required", "a preview needs an API key in x-api-key or a preview session"));
        }
        return usable(exchange, host, target -> true).flatMap(target -> {
            Optional<PreviewSigner.Signed> session = cookies.stream()
                    .map(c -> signer.verify(c.getValue(), PreviewSigner.SESSION, target.previewId()))
                    .flatMap(Optional::stream)
                    .findFirst();
            if (session.isEmpty()) {
                return Mono.error(ApiException.unauthenticated(
                        "invalid_preview_session", "the preview session is invalid, expired or for another preview"));
            }
            // the session lives no longer than the key that opened it
            return keys.isRevoked(session.get().keyId()) ? Mono.error(revoked()) : Mono.just(target);
        });
    }

    /**
     * The preview while it and its sandbox live: 404 unknown or not the caller's (checked first, so another
     * tenant learns nothing of its state), 410 closed or ended, 409 paused.
     */
    private Mono<PreviewTarget> usable(
            ServerWebExchange exchange, PreviewHost host, Predicate<PreviewTarget> callersOwn) {
        return directory.find(host, RequestIds.of(exchange)).flatMap(found -> {
            if (found.isEmpty() || !callersOwn.test(found.get())) {
                return Mono.error(new ApiException(
                        HttpStatus.NOT_FOUND.value(), "not_found", "preview_not_found", "no preview on this host"));
            }
            PreviewTarget target = found.get();
            if (!"active".equals(target.status())
                    || !List.of("running", "paused").contains(target.sandboxStatus())) {
                return Mono.error(new ApiException(
                        HttpStatus.GONE.value(),
                        "not_found",
                        "preview_closed",
                        "preview " + target.previewId() + " is closed"));
            }
            if ("paused".equals(target.sandboxStatus())) {
                return Mono.error(new ApiException(
                        HttpStatus.CONFLICT.value(),
                        "conflict",
                        "sandbox_paused",
                        "sandbox " + target.sandboxId() + " is paused; resume it first"));
            }
            return Mono.just(target);
        });
    }

    private static ApiException revoked() {
        return ApiException.unauthenticated(
                "key_revoked", "the API key that opened this preview session was revoked; open a new session");
    }
}
