package dev.crownest.node.sandbox;

import dev.crownest.contracts.node.NodeSandbox;
import dev.crownest.contracts.node.NodeSandboxSpec;
import dev.crownest.node.NodeProperties;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/** The node agent's sandbox API, called by the execution worker (docs/services.md). */
@RestController
class NodeSandboxController {
    private final NodeSandboxes sandboxes;
    private final NodeProperties node;

    NodeSandboxController(NodeSandboxes sandboxes, NodeProperties node) {
        this.sandboxes = sandboxes;
        this.node = node;
    }

    @PostMapping("/node/v1/sandboxes")
    @ResponseStatus(HttpStatus.CREATED)
    NodeSandbox start(@RequestBody NodeSandboxSpec spec) {
        return sandboxes.start(spec).view(node.id());
    }

    @GetMapping("/node/v1/sandboxes")
    List<NodeSandbox> list() {
        return sandboxes.all().stream().map(s -> s.view(node.id())).toList();
    }

    @DeleteMapping("/node/v1/sandboxes/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void stop(@PathVariable String id) {
        sandboxes.stop(id);
    }
}
