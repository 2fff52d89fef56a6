package dev.crownest.gateway.route;

import static java.util.Map.entry;

import dev.crownest.contracts.node.NodeView;
import dev.crownest.gateway.route.RouteDocs.Doc;
import java.util.Map;

/** The OpenAPI entries of the node registry's routes (sandbox-service, from the nodes' heartbeats), beside {@link RouteDocs}'. */
final class NodeRouteDocs {
    static final Map<String, Doc> DOCS = Map.ofEntries(
            entry(
                    "GET /v1/nodes",
                    Doc.of("The node fleet (operator): each node's address, state (ready, draining, down: silent for "
                                    + "longer than the heartbeat timeout), capacity and use, templates, warm pools and "
                                    + "last heartbeat")
                            .pageOf(NodeView.class)),
            entry(
                    "GET /v1/nodes/{id}",
                    Doc.of("One node (operator); 404 node_not_found").answers(200, NodeView.class)));

    private NodeRouteDocs() {}
}
