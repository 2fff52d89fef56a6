package dev.crownest.gateway.command;

import dev.crownest.nodeclient.NodeClient;
import dev.crownest.nodeclient.OutputWatch;
import java.net.URI;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Reads a command's output straight from its node (a watch of its exec, in exec frames), for a client
 * streaming it: the bytes skip the execution worker and Kafka, which cost more than everything else on
 * the way (docs/benchmarks.md). One node agent ({@code crownest.node-agent.url}), as for files.
 */
@Component
class NodeOutputWatches {
    private final NodeClient nodes;
    private final URI node;

    NodeOutputWatches(NodeClient nodes, @Value("${crownest.node-agent.url:http://localhost:8083}") URI node) {
        this.nodes = nodes;
        this.node = node;
    }

    /**
     * Opens a watch of {@code commandId}; completes once the node has it in place (its answer's
     * headers), so a command started after that cannot write anything the watch misses.
     */
    Mono<OutputWatch> open(String sandboxId, String commandId) {
        return nodes.watch(node, sandboxId, commandId);
    }

    /**
     * The node's kept output of {@code commandId} from where the reader stands, then live; empty when the
     * node does not keep it, or cannot be reached (the command's record is then what is left).
     */
    Mono<OutputWatch> reattach(String sandboxId, String commandId, OutputCursor from) {
        return nodes.reattach(node, sandboxId, commandId, from.stdout(), from.stderr())
                .onErrorResume(failure -> Mono.empty());
    }
}
