package dev.crownest.sandbox.lifecycle;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.event.SandboxEvent.SandboxCreated;
import dev.crownest.kit.seal.EnvSeal;
import dev.crownest.nodeclient.NodeClient;
import dev.crownest.nodeclient.protocol.NodeSandbox;
import dev.crownest.nodeclient.protocol.NodeSandboxSpec;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Starts a recorded create on its node directly, and records what the node did: {@code SandboxStarted}
 * (at most once: the aggregate ignores a repeat) or {@code SandboxFailed}. This is the create's critical
 * path, so it does not go through the tracking processor, Kafka and the execution worker (which still
 * carries out forks, stops, pauses and resumes). What is started is what the event store holds: the spec
 * is read from the sandbox's {@code SandboxCreated}. The node starts idempotently by sandbox id, so a
 * repeated start (the {@link StartingSweep}) answers the sandbox already there.
 */
@Component
class SandboxStarts {
    private static final Logger log = LoggerFactory.getLogger(SandboxStarts.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration START_LIMIT = Duration.ofSeconds(60);
    private static final Duration STOP_LIMIT = Duration.ofSeconds(30);

    private final NodeClient nodes;
    private final URI node;
    private final CommandGateway commands;
    private final EventStore events;
    private final EnvSeal envSeal;
    /** Recording blocks (JDBC): never on the node client's event loop. */
    private final ExecutorService recorder = Executors.newVirtualThreadPerTaskExecutor();

    SandboxStarts(
            WebClient.Builder web,
            ObjectMapper json,
            @Value("${crownest.node-agent.url:http://localhost:8083}") URI node,
            CommandGateway commands,
            EventStore events,
            EnvSeal envSeal) {
        // Spring's builder: it carries the service credential (service-kit's ServiceAuthConfiguration)
        this.nodes = new NodeClient(web, json, CONNECT_TIMEOUT);
        this.node = node;
        this.commands = commands;
        this.events = events;
        this.envSeal = envSeal;
    }

    /**
     * Asks the node to start the created sandbox; the future completes once the outcome is recorded (it
     * never completes exceptionally: a failure to record is left to the {@link StartingSweep}).
     */
    CompletableFuture<Void> start(String sandboxId) {
        SandboxCreated created = created(sandboxId);
        NodeSandboxSpec spec = NodeSandboxSpec.of(created, envSeal.open(created.env()));
        return nodes.start(node, spec)
                .timeout(START_LIMIT)
                .toFuture()
                .handleAsync(
                        (started, failure) -> {
                            record(sandboxId, started, failure);
                            return null;
                        },
                        recorder);
    }

    private void record(String sandboxId, NodeSandbox started, Throwable failure) {
        try {
            if (failure != null) {
                // refused by the node (its message), unreachable, or too slow
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause()
                        : failure;
                log.warn("sandbox {} did not start: {}", sandboxId, cause.getMessage());
                commands.sendAndWait(new RecordSandboxFailed(sandboxId, cause.getMessage()));
                return;
            }
            commands.sendAndWait(new RecordSandboxStarted(sandboxId, started.nodeId()));
        } catch (ApiException ended) {
            // Killed or expired while it started: a sandbox nobody wants must not run (or be metered).
            stop(sandboxId);
        } catch (RuntimeException e) {
            log.warn("the start of sandbox {} is not recorded yet: {}", sandboxId, e.toString());
        }
    }

    private void stop(String sandboxId) {
        try {
            nodes.stop(node, sandboxId).block(STOP_LIMIT);
        } catch (RuntimeException e) {
            // The node's own TTL guard and reconciliation end it if this call never lands.
            log.warn("sandbox {} could not be stopped now: {}", sandboxId, e.getMessage());
        }
    }

    /** The sandbox's first event, as stored. */
    private SandboxCreated created(String sandboxId) {
        var stream = events.readEvents(sandboxId);
        if (stream.hasNext() && stream.next().getPayload() instanceof SandboxCreated created) {
            return created;
        }
        throw new IllegalStateException("no SandboxCreated of sandbox " + sandboxId);
    }
}
