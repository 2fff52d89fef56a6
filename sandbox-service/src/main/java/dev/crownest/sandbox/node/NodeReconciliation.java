package dev.crownest.sandbox.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.event.NodeHeartbeat;
import dev.crownest.nodeclient.NodeClient;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * A node that comes back (a paused agent woken, or one restarted that adopted what runsc still ran)
 * still runs the sandboxes the control plane ended while it was lost. Each heartbeat names the
 * sandboxes the node holds; those ended here are stopped on it. The same catches any other end whose
 * stop never reached the node, once the worker had its chance ({@link #WORKER_GRACE}).
 */
@Component
class NodeReconciliation {
    private static final Logger log = LoggerFactory.getLogger(NodeReconciliation.class);
    static final Duration WORKER_GRACE = Duration.ofSeconds(30);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration STOP_LIMIT = Duration.ofSeconds(30);

    private final NodeSandboxViews views;
    private final NodeClient nodes;
    private final Clock clock;
    /** Stops under way: the next heartbeats (every second) must not send them again meanwhile. */
    private final Set<String> stopping = ConcurrentHashMap.newKeySet();

    NodeReconciliation(NodeSandboxViews views, WebClient.Builder web, ObjectMapper json, Clock clock) {
        this.views = views;
        // Spring's builder: it carries the service credential (service-kit's ServiceAuthConfiguration)
        this.nodes = new NodeClient(web, json, CONNECT_TIMEOUT);
        this.clock = clock;
    }

    void check(NodeHeartbeat beat) {
        List<String> held = beat.sandboxIds();
        if (held == null || held.isEmpty() || beat.agentUrl() == null) {
            return;
        }
        URI node = URI.create(beat.agentUrl());
        for (String sandboxId : views.endedAmong(held, clock.instant().minus(WORKER_GRACE))) {
            if (stopping.add(sandboxId)) {
                Thread.ofVirtual().name("reconcile-" + sandboxId).start(() -> stop(beat.nodeId(), node, sandboxId));
            }
        }
    }

    private void stop(String nodeId, URI node, String sandboxId) {
        try {
            nodes.stop(node, sandboxId).block(STOP_LIMIT);
            log.info("stopped sandbox {} on node {}: it ended while the node was away", sandboxId, nodeId);
        } catch (RuntimeException e) {
            log.warn("sandbox {} could not be stopped on node {} now: {}", sandboxId, nodeId, e.getMessage());
        } finally {
            stopping.remove(sandboxId);
        }
    }
}
