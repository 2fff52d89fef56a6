package dev.crownest.gateway.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.gateway.GatewayProperties;
import dev.crownest.gateway.upstream.Upstream;
import dev.crownest.gateway.upstream.UpstreamAnswer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Read-your-writes for the runs this gateway made on the data plane: their records reach sandbox-service
 * after their answer (within a second, through the node's outbox and Kafka), so a read of a sandbox's
 * commands right after waits, briefly and only here, until the runs this gateway answered are recorded
 * finished. A record still missing after {@link #PATIENCE} is read as it is (Kafka may be down: the
 * record comes when it is back). Another gateway's reads do not wait.
 */
@Component
class RecordedRuns {
    private static final Duration PATIENCE = Duration.ofSeconds(3);
    private static final Duration POLL = Duration.ofMillis(20);
    /** How long a finished run is remembered as possibly unrecorded. */
    private static final long REMEMBER_NANOS = Duration.ofSeconds(10).toNanos();

    private final Upstream upstream;
    private final String sandboxService;
    private final ObjectMapper json;
    /** sandbox id → (command id → nanoTime of its answer) */
    private final Map<String, Map<String, Long>> answered = new ConcurrentHashMap<>();

    RecordedRuns(Upstream upstream, GatewayProperties properties, ObjectMapper json) {
        this.upstream = upstream;
        this.sandboxService = properties.sandboxServiceUrl();
        this.json = json;
    }

    /** A run on the data plane was answered with its exit. */
    void answered(String sandboxId, String commandId) {
        answered.computeIfAbsent(sandboxId, id -> new ConcurrentHashMap<>()).put(commandId, System.nanoTime());
    }

    /** Completes once the runs of the sandbox this gateway answered lately ({@code commandId} alone if given) are recorded. */
    Mono<Void> awaitRecorded(ServerRequest request, String sandboxId, String commandId) {
        Map<String, Long> runs = answered.get(sandboxId);
        if (runs == null || runs.isEmpty()) {
            return Mono.empty();
        }
        long now = System.nanoTime();
        runs.values().removeIf(at -> now - at > REMEMBER_NANOS);
        List<String> waitFor = commandId == null
                ? List.copyOf(runs.keySet())
                : runs.containsKey(commandId) ? List.of(commandId) : List.of();
        return Flux.fromIterable(waitFor)
                .flatMap(id -> recorded(request, sandboxId, id)
                        .filter(Boolean::booleanValue)
                        .repeatWhenEmpty(attempts -> attempts.delayElements(POLL))
                        .timeout(PATIENCE, Mono.just(false))
                        .doOnNext(done -> runs.remove(id)))
                .then();
    }

    private Mono<Boolean> recorded(ServerRequest request, String sandboxId, String commandId) {
        return upstream.call(
                        request,
                        HttpMethod.GET,
                        Upstream.uri(
                                sandboxService, "/internal/sandboxes/{id}/commands/{cid}", null, sandboxId, commandId),
                        null,
                        headers -> {})
                .map(this::finished);
    }

    private boolean finished(UpstreamAnswer answer) {
        if (answer.isError()) {
            return false;
        }
        try {
            return "finished".equals(json.readTree(answer.body()).path("status").asText());
        } catch (IOException e) {
            return false;
        }
    }
}
