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
import java.util.regex.Pattern;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseCookie;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * The preview URLs themselves, {@code /v1/previews/{previewId}/...}: outside the route tables because
 * their credential differs. A caller gets through with an API key of the preview's tenant (and
 * project, for a restricted key) holding {@code previews:read}, or with the preview's session cookie;
 * anything else is 401, before the preview is even looked up. Another tenant's preview is 404, a
 * closed one (or one whose sandbox ended) 410.
 *
 * <p>{@code GET /v1/previews/{id}?token=...} (no trailing slash, so no path of the app is shadowed)
 * exchanges a token from {@code POST .../previews/{pid}/tokens} for the session cookie: HttpOnly,
 * SameSite=Lax, Path {@code /v1/previews/{id}} (the browser sends it to this preview alone), signed and
 * expiring; then 303 to the preview's root. A token works once per gateway.
 */
@Component
public class PreviewGate {
    public static final String PREFIX = "/v1/previews/";
    static final String COOKIE = "crownest_preview";
    static final String PREFIX_ATTRIBUTE = PreviewGate.class.getName() + ".prefix";
    private static final Pattern PREVIEW_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
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

    /** Every request under {@code /v1/previews/}. */
    public Mono<ServerResponse> handle(ServerRequest request) {
        String rawPath = request.exchange().getRequest().getPath().value();
        String rest = rawPath.substring(PREFIX.length());
        int slash = rest.indexOf('/');
        String previewId = slash < 0 ? rest : rest.substring(0, slash);
        if (!PREVIEW_ID.matcher(previewId).matches()) {
            return Mono.error(ApiException.unauthenticated(
                    "preview_auth_required", "a preview needs an API key in x-api-key or a preview session"));
        }
        if (slash < 0) {
            Optional<String> token = request.queryParam("token");
            return token.isPresent() ? exchange(request, previewId, token.get()) : toRoot(request, previewId);
        }
        String rawQuery = request.exchange().getRequest().getURI().getRawQuery();
        String path = rest.substring(slash) + (rawQuery == null ? "" : "?" + rawQuery);
        return authorize(request, previewId).flatMap(target -> {
            request.exchange().getAttributes().put(PREFIX_ATTRIBUTE, PREFIX + previewId);
            return ServerResponse.ok().build((exchange, context) -> proxy.forward(exchange, target, path));
        });
    }

    /** {@code /v1/previews/{id}} without the slash: to the root, where relative links resolve under the prefix. */
    private Mono<ServerResponse> toRoot(ServerRequest request, String previewId) {
        return authorize(request, previewId)
                .flatMap(target -> ServerResponse.status(HttpStatus.PERMANENT_REDIRECT)
                        .location(URI.create(PREFIX + previewId + "/"))
                        .build());
    }

    private Mono<ServerResponse> exchange(ServerRequest request, String previewId, String token) {
        Optional<String> nonce = signer.verify(token, PreviewSigner.TOKEN, previewId);
        if (nonce.isEmpty()) {
            return Mono.error(ApiException.unauthenticated(
                    "invalid_preview_token", "the preview token is invalid, expired or for another preview"));
        }
        Instant now = clock.instant();
        if (usedTokens.size() > MAX_USED_TOKENS) {
            usedTokens.values().removeIf(expiry -> expiry.isBefore(now));
        }
        if (usedTokens.putIfAbsent(nonce.get(), now.plus(properties.tokenTtl())) != null) {
            return Mono.error(ApiException.unauthenticated("preview_token_used", "the preview token was used already"));
        }
        return usable(request, previewId, target -> true).flatMap(target -> {
            Instant expiresAt = now.plus(properties.sessionTtl());
            ResponseCookie cookie = ResponseCookie.from(
                            COOKIE, signer.sign(PreviewSigner.SESSION, previewId, expiresAt))
                    .path(PREFIX + previewId)
                    .httpOnly(true)
                    .sameSite("Lax")
                    .secure("https".equals(request.uri().getScheme()))
                    .maxAge(properties.sessionTtl())
                    .build();
            return ServerResponse.status(HttpStatus.SEE_OTHER)
                    .location(URI.create(PREFIX + previewId + "/"))
                    .cookie(cookie)
                    .header(HttpHeaders.CACHE_CONTROL, "no-store")
                    .header("Referrer-Policy", "no-referrer")
                    .build();
        });
    }

    /** The preview if this caller may use it; a refusal in the ApiError shape otherwise. */
    private Mono<PreviewTarget> authorize(ServerRequest request, String previewId) {
        String key = request.headers().firstHeader(ApiKeyAuthentication.API_KEY_HEADER);
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
                    request,
                    previewId,
                    target -> target.tenantId().equals(caller.tenantId())
                            && (caller.projectId() == null || caller.projectId().equals(target.projectId())));
        }
        List<HttpCookie> cookies = request.cookies().getOrDefault(COOKIE, List.of());
        if (cookies.stream()
                .anyMatch(c -> signer.verify(c.getValue(), PreviewSigner.SESSION, previewId)
                        .isPresent())) {
            return usable(request, previewId, target -> true);
        }
        return Mono.error(ApiException.unauthenticated(
                cookies.isEmpty() ? "preview_auth_required" : "invalid_preview_session",
                cookies.isEmpty()
                        ? "a preview needs an API key in x-api-key or a preview session"
                        : "the preview session is invalid, expired or for another preview"));
    }

    /**
     * The preview while it and its sandbox live: 404 unknown or not the caller's (checked first, so another
     * tenant learns nothing of its state), 410 closed or ended, 409 paused.
     */
    private Mono<PreviewTarget> usable(ServerRequest request, String previewId, Predicate<PreviewTarget> callersOwn) {
        return directory.find(previewId, RequestIds.of(request.exchange())).flatMap(found -> {
            if (found.isEmpty() || !callersOwn.test(found.get())) {
                return Mono.error(notFound(previewId));
            }
            PreviewTarget target = found.get();
            if (!"active".equals(target.status())
                    || !List.of("running", "paused").contains(target.sandboxStatus())) {
                return Mono.error(new ApiException(
                        HttpStatus.GONE.value(), "not_found", "preview_closed", "preview " + previewId + " is closed"));
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

    private static ApiException notFound(String previewId) {
        return new ApiException(
                HttpStatus.NOT_FOUND.value(), "not_found", "preview_not_found", "no preview " + previewId);
    }
}
