package dev.crownest.gateway.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.api.CommandLimits;
import dev.crownest.contracts.api.CommandView;
import dev.crownest.contracts.api.RunCommandRequest;
import dev.crownest.contracts.event.CommandFact;
import dev.crownest.gateway.key.ApiKeyAuthentication;
import dev.crownest.gateway.key.ApiKeyGrant;
import dev.crownest.gateway.sandbox.SandboxHandler;
import dev.crownest.gateway.upstream.UpstreamAnswer;
import dev.crownest.kit.seal.EnvSeal;
import dev.crownest.nodeclient.NodeClient;
import dev.crownest.nodeclient.protocol.ExecChunk;
import dev.crownest.nodeclient.protocol.ExecFrames;
import dev.crownest.nodeclient.protocol.ExecRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.server.ServerRequest;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Runs on the data plane: the gateway authorizes a run itself (the key and its scope and project were
 * checked by its filters; here the sandbox, from the read cache or one read of sandbox-service, must be
 * the key's and running, and the body must meet {@link CommandLimits}), mints the command id and calls
 * the sandbox's node directly with the run's facts. The node writes those facts to its durable outbox
 * and sandbox-service records them from {@code command-facts}: neither Axon nor Kafka is on the way of
 * the answer (docs/design.md, "Commands on the data plane"). Env values go to the node in clear over
 * the signed loopback call, and in the facts only sealed.
 */
@Component
class DirectRuns {
    private final NodeClient nodes;
    private final URI node;
    private final SandboxHandler sandboxes;
    private final EnvSeal envSeal;
    private final ObjectMapper json;

    DirectRuns(
            NodeClient nodes,
            @Value("${crownest.node-agent.url:http://localhost:8083}") URI node,
            SandboxHandler sandboxes,
            EnvSeal envSeal,
            ObjectMapper json) {
        this.nodes = nodes;
        this.node = node;
        this.sandboxes = sandboxes;
        this.envSeal = envSeal;
        this.json = json;
    }

    /** Whether this run goes on the data plane: it must be awaited or streamed, and collect nothing. */
    static boolean eligible(RunCommandRequest body, boolean wait) {
        return wait && (body.collect() == null || body.collect().isEmpty());
    }

    /** An authorized run, or sandbox-service's refusal (its 404 for a sandbox the key may not see). */
    record Authorized(ExecRequest exec, UpstreamAnswer refusal) {}

    /**
     * Checks the run and its sandbox; {@code outputLimit}: of each stream, what the node sends on the wire
     * (0 for a blocking run, whose kept output comes in the exit; null for a stream: all of it).
     */
    Mono<Authorized> authorize(
            ServerRequest request, String sandboxId, RunCommandRequest body, String commandId, Long outputLimit) {
        CommandLimits.check(body.cmd(), body.timeoutMsOrDefault(), body.env());
        ApiKeyGrant grant = ApiKeyAuthentication.grant(request);
        return sandboxes.view(request, sandboxId).map(answer -> {
            if (answer.isError()) {
                return new Authorized(null, answer);
            }
            JsonNode sandbox = tree(answer.body());
            String status = sandbox.path("status").asText();
            if ("paused".equals(status)) {
                throw ApiException.conflict("sandbox_paused", "sandbox " + sandboxId + " is paused; resume it first");
            }
            if (!"running".equals(status)) {
                throw ApiException.conflict("sandbox_not_running", "sandbox " + sandboxId + " is " + status);
            }
            CommandFact.Run run = new CommandFact.Run(
                    commandId,
                    sandboxId,
                    grant.tenantId(),
                    sandbox.path("projectId").isTextual()
                            ? sandbox.path("projectId").asText()
                            : null,
                    grant.keyId(),
                    body.cmd(),
                    body.cwdOrDefault(),
                    // sealed before anything records them: facts, events, Kafka and audit hold no value
                    envSeal.seal(body.env()),
                    body.timeoutMsOrDefault(),
                    body.stdin());
            return new Authorized(
                    new ExecRequest(
                            commandId,
                            body.cmd(),
                            body.cwdOrDefault(),
                            body.env(),
                            body.timeoutMsOrDefault(),
                            body.stdin(),
                            outputLimit,
                            run),
                    null);
        });
    }

    /** Starts the run on the node: its frames once the node took it; a node out of reach is a 503. */
    Mono<Flux<ExecFrames.Frame>> start(String sandboxId, ExecRequest exec) {
        return nodes.run(node, sandboxId, exec).onErrorMap(WebClientRequestException.class, DirectRuns::unreachable);
    }

    /** Runs to the end: the finished record, as sandbox-service will keep it. */
    Mono<CommandView> runToEnd(String sandboxId, ExecRequest exec) {
        return start(sandboxId, exec)
                .flatMap(frames -> frames.filter(frame -> frame.type() == ExecFrames.EXIT)
                        .next()
                        .onErrorMap(failure -> !(failure instanceof ApiException), DirectRuns::unreachable))
                .switchIfEmpty(Mono.error(() -> ApiException.unavailable(
                        "node_unavailable",
                        "the sandbox's node ended the command without its exit; its record tells how it ended")))
                .map(frame -> view(sandboxId, exec, exit(frame.payload())));
    }

    /** The exit of a frame's payload. */
    ExecChunk exit(byte[] payload) {
        try {
            return json.readValue(payload, ExecChunk.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static CommandView view(String sandboxId, ExecRequest exec, ExecChunk exit) {
        // as the record will hold them (PostgreSQL keeps microseconds)
        Instant startedAt = micros(exit.startedAt());
        Instant finishedAt = micros(exit.finishedAt());
        Long duration = exit.startedAt() == null || exit.finishedAt() == null
                ? null
                : Math.max(
                        0, Duration.between(exit.startedAt(), exit.finishedAt()).toMillis());
        return new CommandView(
                exec.commandId(),
                sandboxId,
                exec.cmd(),
                exec.cwd(),
                "finished",
                exit.exitCode(),
                exit.stdout() == null ? "" : exit.stdout(),
                exit.stderr() == null ? "" : exit.stderr(),
                Boolean.TRUE.equals(exit.truncated()),
                Boolean.TRUE.equals(exit.timedOut()),
                Boolean.TRUE.equals(exit.cancelled()),
                startedAt,
                finishedAt,
                duration,
                List.of(),
                List.of(),
                List.of());
    }

    private static Instant micros(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * Kills a run on the data plane that sandbox-service has not recorded yet, if the request's key may see
     * its sandbox: true once its node killed it (its exit fact then says cancelled), false when the key may
     * not or the node runs no such command.
     */
    Mono<Boolean> cancelUnrecorded(ServerRequest request, String sandboxId, String commandId) {
        return sandboxes
                .view(request, sandboxId)
                .flatMap(answer -> answer.isError()
                        ? Mono.just(false)
                        : nodes.cancel(node, sandboxId, commandId)
                                .onErrorMap(WebClientRequestException.class, DirectRuns::unreachable));
    }

    private JsonNode tree(byte[] body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ApiException unreachable(Throwable failure) {
        return ApiException.unavailable(
                "node_unavailable", "the sandbox's node cannot be reached now; the command may not have run");
    }
}
