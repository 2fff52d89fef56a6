package dev.crownest.gateway.file;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.security.InternalHeaders;
import dev.crownest.gateway.GatewayProperties;
import dev.crownest.nodeclient.ErrorAnswers;
import dev.crownest.nodeclient.NodeAnswer;
import dev.crownest.nodeclient.NodeClient;
import io.netty.channel.ChannelOption;
import java.net.URI;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * The two calls behind every public file operation: sandbox-service says whether the sandbox is the
 * caller's and running, then the node agent's files API does the work (through {@link NodeClient}). File contents pass through as
 * a flux of buffers in both directions and are never joined; only JSON answers and error bodies (a few
 * hundred bytes) are read whole. A refusal of either service becomes a {@link ApiException} with
 * its status, type, code and message ({@link ErrorAnswers}), so the client sees it in the one error shape.
 *
 * <p>One node agent ({@code crownest.node-agent.url}), as the execution worker has: with several nodes
 * the sandbox's {@code nodeId} would pick the agent.
 */
@Component
class SandboxFiles {
    private static final byte[] EMPTY = new byte[0];

    private final WebClient client;
    private final ObjectMapper json;
    private final String sandboxService;
    private final NodeClient nodes;
    private final URI node;

    SandboxFiles(
            WebClient.Builder builder,
            GatewayProperties properties,
            ObjectMapper json,
            NodeClient nodes,
            @Value("${crownest.node-agent.url:http://localhost:8083}") URI node) {
        HttpClient http = HttpClient.create().option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                properties.gateway().connectTimeout().toMillis());
        this.client =
                builder.clientConnector(new ReactorClientHttpConnector(http)).build();
        this.json = json;
        this.sandboxService = properties.sandboxServiceUrl();
        this.nodes = nodes;
        this.node = node;
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
                                return Mono.error(ErrorAnswers.refusal(
                                        json, response.statusCode().value(), body, "sandbox-service"));
                            }
                            String status = ErrorAnswers.readTree(json, body)
                                    .path("status")
                                    .asText();
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
        return nodes.readFile(node, sandboxId, path, requestId);
    }

    /**
     * Streams {@code content} into the file (the node writes a temporary file and renames it over the
     * target). {@code contentLength} is sent on when known (≥ 0), else the body goes chunked.
     */
    Mono<NodeAnswer> write(
            String sandboxId, String path, Flux<DataBuffer> content, long contentLength, String requestId) {
        return nodes.writeFile(node, sandboxId, path, content, contentLength, requestId);
    }

    /** One of the node's small JSON calls: delete, list, mkdir, move ({@code path}: one of NodePaths' files paths). */
    Mono<NodeAnswer> call(
            HttpMethod method, String sandboxId, String path, Map<String, String> query, String requestId) {
        return nodes.fileCall(node, method, path, sandboxId, query, requestId);
    }
}
