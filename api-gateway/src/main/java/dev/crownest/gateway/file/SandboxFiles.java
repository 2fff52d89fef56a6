package dev.crownest.gateway.file;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.security.InternalHeaders;
import dev.crownest.gateway.GatewayProperties;
import io.netty.channel.ChannelOption;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * The two calls behind every public file operation: sandbox-service says whether the sandbox is the
 * caller's and running, then the node agent's files API does the work. File contents pass through as
 * a flux of buffers in both directions and are never joined; only JSON answers and error bodies (a few
 * hundred bytes) are read whole. A refusal of either service becomes a {@link ApiException} with
 * its status, type, code and message, so the client sees it in the one error shape.
 *
 * <p>One node agent ({@code crownest.node-agent.url}), as the execution worker has: with several nodes
 * the sandbox's {@code nodeId} would pick the agent.
 */
@Component
class SandboxFiles {
    private static final byte[] EMPTY = new byte[0];

    /** A small JSON answer of the node agent (status, body bytes, maybe empty). */
    record NodeAnswer(HttpStatusCode status, byte[] body) {}

    private final WebClient client;
    private final ObjectMapper json;
    private final String sandboxService;
    private final String nodeAgent;

    SandboxFiles(
            WebClient.Builder builder,
            GatewayProperties properties,
            ObjectMapper json,
            @Value("${crownest.node-agent.url:http://localhost:8083}") String nodeAgent) {
        HttpClient http = HttpClient.create().option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                properties.gateway().connectTimeout().toMillis());
        this.client =
                builder.clientConnector(new ReactorClientHttpConnector(http)).build();
        this.json = json;
        this.sandboxService = properties.sandboxServiceUrl();
        this.nodeAgent = nodeAgent.endsWith("/") ? nodeAgent.substring(0, nodeAgent.length() - 1) : nodeAgent;
    }

    /**
     * Completes when {@code sandboxId} is the caller's (tenant, and project for a restricted key) and
     * running; 404 {@code sandbox_not_found} otherwise (another tenant's included), 409
     * {@code sandbox_paused} or {@code sandbox_not_running}.
     */
    Mono<Void> requireRunning(FileCaller caller, String sandboxId, String requestId) {
        URI uri = UriComponentsBuilder.fromUriString(sandboxService + "/internal/sandboxes/{id}")
                .encode()
                .buildAndExpand(sandboxId)
                .toUri();
        return client.get()
                .uri(uri)
                .accept(MediaType.APPLICATION_JSON)
                .headers(headers -> {
                    headers.set(InternalHeaders.TENANT_ID, caller.tenantId());
                    headers.set(InternalHeaders.ACTOR, caller.actor());
                    if (caller.projectId() != null) {
                        headers.set(InternalHeaders.PROJECT_ID, caller.projectId());
                    }
                    headers.set(InternalHeaders.REQUEST_ID, requestId);
                })
                .exchangeToMono(response -> response.bodyToMono(byte[].class)
                        .defaultIfEmpty(EMPTY)
                        .flatMap(body -> {
                            if (response.statusCode().isError()) {
                                return Mono.error(refusal(response.statusCode(), body, "sandbox-service"));
                            }
                            String status = readTree(body).path("status").asText();
                            return switch (status) {
                                case "running" -> Mono.empty();
                                case "paused" ->
                                    Mono.error(new ApiException(
                                            HttpStatus.CONFLICT.value(),
                                            "conflict",
                                            "sandbox_paused",
                                            "sandbox " + sandboxId + " is paused; resume it first"));
                                default ->
                                    Mono.error(new ApiException(
                                            HttpStatus.CONFLICT.value(),
                                            "conflict",
                                            "sandbox_not_running",
                                            "sandbox " + sandboxId + " is " + status
                                                    + "; files are reachable while it runs"));
                            };
                        }));
    }

    /** The file's bytes as the node streams them, with its headers (length, type). */
    Mono<ResponseEntity<Flux<DataBuffer>>> read(String sandboxId, String path, String requestId) {
        return client.get()
                .uri(node("/files", sandboxId, Map.of("path", path)))
                .accept(MediaType.ALL)
                .header(InternalHeaders.REQUEST_ID, requestId)
                .retrieve()
                .toEntityFlux(DataBuffer.class)
                .onErrorMap(
                        WebClientResponseException.class,
                        e -> refusal(e.getStatusCode(), e.getResponseBodyAsByteArray(), "node agent"));
    }

    /**
     * Streams {@code content} into the file (the node writes a temporary file and renames it over the
     * target). {@code contentLength} is sent on when known (≥ 0), else the body goes chunked.
     */
    Mono<NodeAnswer> write(
            String sandboxId, String path, Flux<DataBuffer> content, long contentLength, String requestId) {
        return client.put()
                .uri(node("/files", sandboxId, Map.of("path", path)))
                .accept(MediaType.APPLICATION_JSON)
                .headers(headers -> {
                    headers.set(InternalHeaders.REQUEST_ID, requestId);
                    headers.setContentType(MediaType.APPLICATION_OCTET_STREAM);
                    if (contentLength >= 0) {
                        headers.setContentLength(contentLength);
                    }
                })
                .body(BodyInserters.fromDataBuffers(content))
                .exchangeToMono(this::answer);
    }

    /** One of the node's small JSON calls: delete, list, mkdir, move. */
    Mono<NodeAnswer> call(
            HttpMethod method, String sandboxId, String suffix, Map<String, String> query, String requestId) {
        return client.method(method)
                .uri(node(suffix, sandboxId, query))
                .accept(MediaType.APPLICATION_JSON)
                .header(InternalHeaders.REQUEST_ID, requestId)
                .exchangeToMono(this::answer);
    }

    private Mono<NodeAnswer> answer(ClientResponse response) {
        return response.bodyToMono(byte[].class)
                .defaultIfEmpty(EMPTY)
                .flatMap(body -> response.statusCode().isError()
                        ? Mono.error(refusal(response.statusCode(), body, "node agent"))
                        : Mono.just(new NodeAnswer(response.statusCode(), body)));
    }

    private URI node(String suffix, String sandboxId, Map<String, String> query) {
        UriComponentsBuilder uri = UriComponentsBuilder.fromUriString(nodeAgent + "/node/v1/sandboxes/{id}" + suffix);
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("id", sandboxId);
        // as template variables, so a path's '&', '+', '%' or spaces are encoded strictly
        query.forEach((name, value) -> {
            uri.queryParam(name, "{" + name + "}");
            variables.put(name, value);
        });
        return uri.encode().buildAndExpand(variables).toUri();
    }

    /** A service's refusal as the gateway's own, keeping its status and, when in the error shape, type, code and message. */
    private ApiException refusal(HttpStatusCode status, byte[] body, String service) {
        HttpStatus known = HttpStatus.resolve(status.value());
        HttpStatus shown = known == null ? HttpStatus.BAD_GATEWAY : known;
        JsonNode error = readTree(body).path("error");
        if (error.hasNonNull("code")) {
            return new ApiException(
                    shown.value(),
                    error.path("type").asText(shown.is4xxClientError() ? "invalid_request" : "internal"),
                    error.path("code").asText(),
                    error.path("message").asText(""));
        }
        return new ApiException(
                shown.value(),
                shown.is4xxClientError() ? "invalid_request" : "internal",
                "upstream_error",
                "the " + service + " answered " + status.value());
    }

    private JsonNode readTree(byte[] body) {
        try {
            return body.length == 0 ? json.createObjectNode() : json.readTree(body);
        } catch (IOException notJson) {
            return json.createObjectNode();
        }
    }
}
