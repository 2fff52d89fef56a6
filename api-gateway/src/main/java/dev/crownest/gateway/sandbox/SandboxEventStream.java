package dev.crownest.gateway.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.gateway.key.ApiKeyAuthentication;
import dev.crownest.gateway.key.ApiKeyGrant;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code GET /v1/sandboxes/events}: a live list's feed. After each change of one of the key's sandboxes
 * it sends that sandbox's view, read as {@code GET /v1/sandboxes/{id}} would answer it (so a project key
 * sees only its project's, and a state is never older than the event that announced it). An
 * {@code event: ready} says the stream listens: what changes after it is sent. Changes lost to a
 * slow reader or a reconnect are the client's to catch up with a list read.
 */
@Component
public class SandboxEventStream {
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    /** Changes held for a reader behind; the oldest go first (a newer view of the same sandbox follows). */
    private static final int BACKLOG = 1024;

    private final SandboxChanges changes;
    private final SandboxHandler sandboxes;
    private final ObjectMapper json;

    public SandboxEventStream(SandboxChanges changes, SandboxHandler sandboxes, ObjectMapper json) {
        this.changes = changes;
        this.sandboxes = sandboxes;
        this.json = json;
    }

    public Mono<ServerResponse> stream(ServerRequest request) {
        ApiKeyGrant grant = ApiKeyAuthentication.grant(request);
        String project =
                request.queryParam("projectId").filter(p -> !p.isBlank()).orElse(null);
        Flux<ServerSentEvent<String>> events = changes.of(grant.tenantId())
                .onBackpressureBuffer(BACKLOG, dropped -> {}, BufferOverflowStrategy.DROP_OLDEST)
                .concatMap(change -> change == SandboxChanges.Change.LISTENING
                        ? Mono.just(ServerSentEvent.builder("{}").event("ready").build())
                        : view(request, change.sandboxId(), project));
        Flux<ServerSentEvent<String>> keepAlive = Flux.interval(KEEP_ALIVE)
                .map(tick ->
                        ServerSentEvent.<String>builder().comment("keep-alive").build());
        return ServerResponse.ok()
                .contentType(MediaType.TEXT_EVENT_STREAM)
                .header("Cache-Control", "no-cache")
                .body(BodyInserters.fromServerSentEvents(Flux.merge(events, keepAlive)));
    }

    /** The sandbox as the key sees it now, when it may (and it is of {@code project}, if named). */
    private Mono<ServerSentEvent<String>> view(ServerRequest request, String sandboxId, String project) {
        return sandboxes
                .view(request, sandboxId)
                .filter(answer -> answer.status() == HttpStatus.OK)
                .filter(answer -> project == null || project.equals(projectOf(answer.body())))
                .map(answer -> new String(answer.body(), StandardCharsets.UTF_8))
                .map(view -> ServerSentEvent.builder(view)
                        .event("sandbox")
                        .id(sandboxId)
                        .build())
                // one unreadable sandbox (sandbox-service away a moment) never ends the stream
                .onErrorResume(failure -> Mono.empty());
    }

    private String projectOf(byte[] view) {
        try {
            return json.readTree(view).path("projectId").asText(null);
        } catch (IOException notJson) {
            return null;
        }
    }
}
