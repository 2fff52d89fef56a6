package dev.crownest.gateway.preview;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.api.CreatePreviewRequest;
import dev.crownest.contracts.api.Page;
import dev.crownest.contracts.api.PreviewTokenView;
import dev.crownest.contracts.api.PreviewView;
import dev.crownest.gateway.GatewayProperties;
import dev.crownest.gateway.key.ApiKeyAuthentication;
import dev.crownest.gateway.upstream.JsonBodies;
import dev.crownest.gateway.upstream.Upstream;
import dev.crownest.gateway.upstream.UpstreamAnswer;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * The tenant routes of previews ({@code /v1/sandboxes/{id}/previews...}): sandbox-service keeps the
 * records; the gateway adds each preview's absolute {@code url} (its own host, {@link PreviewHost}) and mints
 * browser tokens, which name the key that asked for them.
 */
@Component
public class PreviewHandler {
    private final Upstream upstream;
    private final JsonBodies bodies;
    private final ObjectMapper json;
    private final PreviewSigner signer;
    private final PreviewProperties properties;
    private final PreviewDirectory directory;
    private final Clock clock;
    private final String sandboxService;
    private final JavaType pageOfPreviews;

    PreviewHandler(
            Upstream upstream,
            JsonBodies bodies,
            ObjectMapper json,
            PreviewSigner signer,
            PreviewProperties properties,
            PreviewDirectory directory,
            GatewayProperties services,
            Clock clock) {
        this.upstream = upstream;
        this.bodies = bodies;
        this.json = json;
        this.signer = signer;
        this.properties = properties;
        this.directory = directory;
        this.clock = clock;
        this.sandboxService = services.sandboxServiceUrl();
        this.pageOfPreviews = json.getTypeFactory().constructParametricType(Page.class, PreviewView.class);
    }

    public Mono<ServerResponse> create(ServerRequest request) {
        return bodies.read(request, CreatePreviewRequest.class)
                .flatMap(body -> call(request, HttpMethod.POST, "/internal/sandboxes/{id}/previews", body))
                .flatMap(answer -> withUrl(request, answer));
    }

    public Mono<ServerResponse> list(ServerRequest request) {
        return call(request, HttpMethod.GET, "/internal/sandboxes/{id}/previews", null)
                .flatMap(answer -> {
                    if (answer.isError()) {
                        return upstream.respond(request, answer);
                    }
                    Page<PreviewView> page = read(answer, pageOfPreviews);
                    return ServerResponse.ok()
                            .contentType(MediaType.APPLICATION_JSON)
                            .bodyValue(new Page<>(
                                    page.data().stream()
                                            .map(p -> p.withUrl(url(request, p)))
                                            .toList(),
                                    page.nextCursor()));
                });
    }

    public Mono<ServerResponse> get(ServerRequest request) {
        return call(request, HttpMethod.GET, "/internal/sandboxes/{id}/previews/{pid}", null)
                .flatMap(answer -> withUrl(request, answer));
    }

    public Mono<ServerResponse> close(ServerRequest request) {
        return call(request, HttpMethod.DELETE, "/internal/sandboxes/{id}/previews/{pid}", null)
                .doOnNext(answer -> directory.forget(request.pathVariable("id")))
                .flatMap(answer -> withUrl(request, answer));
    }

    /** A single-use token for a browser: 201 with the URL that exchanges it for a session cookie. */
    public Mono<ServerResponse> token(ServerRequest request) {
        return call(request, HttpMethod.GET, "/internal/sandboxes/{id}/previews/{pid}", null)
                .flatMap(answer -> {
                    if (answer.isError()) {
                        return upstream.respond(request, answer);
                    }
                    PreviewView preview = read(answer, json.constructType(PreviewView.class));
                    if (!"active".equals(preview.status())) {
                        return Mono.error(new ApiException(
                                HttpStatus.CONFLICT.value(),
                                "conflict",
                                "preview_closed",
                                "preview " + preview.id() + " is closed"));
                    }
                    Instant expiresAt = clock.instant().plus(properties.tokenTtl());
                    String keyId = ApiKeyAuthentication.grant(request).keyId();
                    String token = signer.sign(PreviewSigner.TOKEN, preview.id(), keyId, expiresAt);
                    String url = url(request, preview) + PreviewGate.SESSION_PATH.substring(1) + "?token=" + token;
                    return ServerResponse.status(HttpStatus.CREATED)
                            .contentType(MediaType.APPLICATION_JSON)
                            .bodyValue(new PreviewTokenView(preview.id(), token, url, expiresAt));
                });
    }

    private Mono<UpstreamAnswer> call(ServerRequest request, HttpMethod method, String template, Object body) {
        URI uri = Upstream.uri(sandboxService, template, request.uri().getRawQuery(), request.pathVariables());
        return upstream.call(request, method, uri, body, headers -> {});
    }

    private Mono<ServerResponse> withUrl(ServerRequest request, UpstreamAnswer answer) {
        if (answer.isError()) {
            return upstream.respond(request, answer);
        }
        PreviewView preview = read(answer, json.constructType(PreviewView.class));
        return ServerResponse.status(answer.status())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(preview.withUrl(url(request, preview)));
    }

    private <T> T read(UpstreamAnswer answer, JavaType type) {
        try {
            return json.readValue(answer.body(), type);
        } catch (IOException e) {
            throw new IllegalStateException("sandbox-service answered an unreadable preview", e);
        }
    }

    /**
     * The preview's origin as the caller reaches the gateway: the request's scheme and port, the host
     * {@code {port}-{sandbox id without "sbx_"}.{crownest.preview.domain}}; ends with {@code /}.
     */
    String url(ServerRequest request, PreviewView preview) {
        URI api = request.uri();
        String host = PreviewHost.name(preview.sandboxId(), preview.port(), properties.domain());
        return api.getScheme() + "://" + host + (api.getPort() < 0 ? "" : ":" + api.getPort()) + "/";
    }
}
