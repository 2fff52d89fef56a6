package dev.crownest.sandbox.node;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.api.Page;
import dev.crownest.contracts.node.NodeView;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /internal/nodes}: the node registry, behind the gateway's {@code GET /v1/nodes} (operator only). */
@RestController
@RequestMapping("/internal/nodes")
class NodeController {
    private final NodeRegistry registry;

    NodeController(NodeRegistry registry) {
        this.registry = registry;
    }

    @GetMapping
    Page<NodeView> list() {
        return new Page<>(registry.views(), null);
    }

    @GetMapping("/{id}")
    NodeView get(@PathVariable String id) {
        return registry.find(id)
                .map(NodeRegistry.KnownNode::view)
                .orElseThrow(() -> ApiException.notFound("node_not_found", "no node " + id));
    }
}
