package dev.crownest.gateway.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crownest.contracts.api.ApiError;
import dev.crownest.contracts.security.InternalHeaders;
import dev.crownest.gateway.GatewayProperties;
import dev.crownest.gateway.key.ApiKeyAuthentication;
import dev.crownest.gateway.key.ApiKeyGrant;
import dev.crownest.gateway.request.RequestIds;
import io.netty.channel.ChannelOption;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * Calls the internal services on behalf of an authenticated key: adds the tenant, actor, project and
 * request id headers, and hands status and body back unchanged, except that an error body always
 * leaves in the ApiError shape with its {@code requestId} filled in.
 */
@Component
public class Upstream {

    private static final byte[] EMPTY = new byte[0];

    private final WebClient client;
    private final ObjectMapper json;

    public Upstream(WebClient.Builder builder, GatewayProperties properties, ObjectMapper json) {
        HttpClient http = HttpClient.create().option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                properties.gateway().connectTimeout().toMillis());
        this.client = builder.clientConnector(new ReactorClientHttpConnector(http))
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize((int)
                        properties.gateway().maxUpstreamBodySize().toBytes()))
                .build();
        this.json = json;
    }

    /**
     * {@code base + template} with the variables strictly encoded (a {@code /} in an id stays inside its
     * segment), followed by the caller's raw query string if any.
     */
    public static URI uri(String base, String template, String rawQuery, Object... variables) {
        URI path = UriComponentsBuilder.fromUriString(base + template)
                .encode()
                .buildAndExpand(variables)
                .toUri();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return path;
        }
        return URI.create(path + (path.getRawQuery() == null ? "?" : "&") + rawQuery);
    }

    /** {@code base + template} with the variables taken by name, e.g. a route's path variables. */
    public static URI uri(String base, String template, String rawQuery, Map<String, String> variables) {
        return uri(
                base,
                UriComponentsBuilder.fromUriString(template)
                        .encode()
                        .buildAndExpand(variables)
                        .toUriString(),
                rawQuery);
    }

    /** Calls a service and answers the client with what it said. */
    public Mono<ServerResponse> forward(ServerRequest request, HttpMethod method, URI uri, Object body) {
        return call(request, method, uri, body, headers -> {}).flatMap(answer -> respond(request, answer));
    }

    /**
     * Calls a service as the request's key. Fails with a {@code WebClientRequestException} when the
     * service cannot be reached, which the error handler answers as 503 {@code upstream_unavailable}.
     */
    public Mono<UpstreamAnswer> call(
            ServerRequest request, HttpMethod method, URI uri, Object body, Consumer<HttpHeaders> extraHeaders) {
        WebClient.RequestBodySpec spec = prepare(request, method, uri, extraHeaders);
        WebClient.RequestHeadersSpec<?> ready = body == null
                ? spec
                : spec.contentType(MediaType.APPLICATION_JSON).bodyValue(body);
        return ready.exchangeToMono(response -> response.bodyToMono(byte[].class)
                .defaultIfEmpty(EMPTY)
                .map(bytes -> new UpstreamAnswer(
                        response.statusCode(), response.headers().contentType().orElse(null), bytes)));
    }

    /**
     * A GET whose successful answer, of a type {@code accept} allows, is streamed to the client as it
     * arrives (exports, documents), never held whole in the gateway; an error answer is buffered and
     * shaped as usual.
     */
    public Mono<ServerResponse> stream(ServerRequest request, URI uri, MediaType accept) {
        return prepare(request, HttpMethod.GET, uri, headers -> headers.setAccept(List.of(accept)))
                .retrieve()
                .toEntityFlux(DataBuffer.class)
                .flatMap(entity -> {
                    ServerResponse.BodyBuilder response = ServerResponse.status(entity.getStatusCode());
                    MediaType type = entity.getHeaders().getContentType();
                    if (type != null) {
                        response.contentType(type);
                    }
                    // what a download needs: its file name, its length (a progress bar) and its ETag (artifacts: the
                    // sha256)
                    for (String header :
                            List.of(HttpHeaders.CONTENT_DISPOSITION, HttpHeaders.CONTENT_LENGTH, HttpHeaders.ETAG)) {
                        String value = entity.getHeaders().getFirst(header);
                        if (value != null) {
                            response.header(header, value);
                        }
                    }
                    return response.body(BodyInserters.fromDataBuffers(entity.getBody()));
                })
                .onErrorResume(
                        WebClientResponseException.class,
                        e -> respond(
                                request,
                                new UpstreamAnswer(
                                        e.getStatusCode(),
                                        e.getHeaders().getContentType(),
                                        e.getResponseBodyAsByteArray())));
    }

    private WebClient.RequestBodySpec prepare(
            ServerRequest request, HttpMethod method, URI uri, Consumer<HttpHeaders> extraHeaders) {
        ApiKeyGrant grant = ApiKeyAuthentication.grant(request);
        return client.method(method).uri(uri).accept(MediaType.APPLICATION_JSON).headers(headers -> {
            headers.set(InternalHeaders.TENANT_ID, grant.tenantId());
            headers.set(InternalHeaders.ACTOR, grant.keyId());
            if (grant.projectId() != null) {
                headers.set(InternalHeaders.PROJECT_ID, grant.projectId());
            }
            headers.set(InternalHeaders.REQUEST_ID, RequestIds.of(request.exchange()));
            extraHeaders.accept(headers);
        });
    }

    /** The client's answer for a service's answer. */
    public Mono<ServerResponse> respond(ServerRequest request, UpstreamAnswer answer) {
        if (answer.isError()) {
            return ServerResponse.status(answer.status())
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(errorBody(answer, RequestIds.of(request.exchange())));
        }
        ServerResponse.BodyBuilder response = ServerResponse.status(answer.status());
        if (answer.body().length == 0) {
            return response.build();
        }
        if (answer.contentType() != null) {
            response.contentType(answer.contentType());
        }
        return response.bodyValue(answer.body());
    }

    /** Reads a successful JSON answer as {@code type}. */
    public <T> T read(UpstreamAnswer answer, Class<T> type) throws IOException {
        return json.readValue(answer.body(), type);
    }

    private byte[] errorBody(UpstreamAnswer answer, String requestId) {
        try {
            JsonNode node = answer.body().length == 0 ? null : json.readTree(answer.body());
            if (node != null && node.path("error") instanceof ObjectNode error && error.hasNonNull("code")) {
                if (!error.hasNonNull("requestId")
                        || error.get("requestId").asText().isBlank()) {
                    error.put("requestId", requestId);
                }
                return json.writeValueAsBytes(node);
            }
        } catch (IOException notJson) {
            // not in the ApiError shape: replaced below
        }
        HttpStatusCode status = answer.status();
        try {
            return json.writeValueAsBytes(ApiError.of(
                    typeOf(status),
                    "upstream_error",
                    "a service behind the gateway answered " + status.value(),
                    requestId));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String typeOf(HttpStatusCode status) {
        HttpStatus known = HttpStatus.resolve(status.value());
        if (known == null) {
            return status.is4xxClientError() ? "invalid_request" : "internal";
        }
        return switch (known) {
            case UNAUTHORIZED -> "authentication";
            case FORBIDDEN -> "permission";
            case NOT_FOUND -> "not_found";
            case CONFLICT -> "conflict";
            case TOO_MANY_REQUESTS -> "rate_limit";
            case SERVICE_UNAVAILABLE -> "unavailable";
            default -> known.is4xxClientError() ? "invalid_request" : "internal";
        };
    }
}
