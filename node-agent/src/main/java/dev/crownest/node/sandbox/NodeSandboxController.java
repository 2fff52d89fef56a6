package dev.crownest.node.sandbox;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.node.NodeProperties;
import dev.crownest.nodeclient.protocol.NodeFork;
import dev.crownest.nodeclient.protocol.NodePaths;
import dev.crownest.nodeclient.protocol.NodePause;
import dev.crownest.nodeclient.protocol.NodeResume;
import dev.crownest.nodeclient.protocol.NodeSandbox;
import dev.crownest.nodeclient.protocol.NodeSandboxSpec;
import dev.crownest.nodeclient.protocol.TtlChange;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The node agent's sandbox API, called by the execution worker (docs/services.md). */
@RestController
class NodeSandboxController {
    private final NodeSandboxes sandboxes;
    private final SandboxForks forks;
    private final NodeProperties node;

    NodeSandboxController(NodeSandboxes sandboxes, SandboxForks forks, NodeProperties node) {
        this.sandboxes = sandboxes;
        this.forks = forks;
        this.node = node;
    }

    @PostMapping(NodePaths.SANDBOXES)
    @ResponseStatus(HttpStatus.CREATED)
    NodeSandbox start(@RequestBody NodeSandboxSpec spec) {
        return sandboxes.start(spec).view(node.id());
    }

    @GetMapping(NodePaths.SANDBOXES)
    List<NodeSandbox> list() {
        return sandboxes.all().stream().map(s -> s.view(node.id())).toList();
    }

    /** Checkpoints the sandbox to an image on this node, its snapshot; answers once it is paused. Idempotent. */
    @PostMapping(NodePaths.PAUSE)
    NodeSandbox pause(@PathVariable String id, @RequestBody(required = false) NodePause body) {
        return sandboxes.pause(id, body == null ? null : body.snapshotId()).view(node.id());
    }

    /** Restores a paused sandbox from its image; answers once it runs again. Idempotent. */
    @PostMapping(NodePaths.RESUME)
    NodeSandbox resume(@PathVariable String id, @RequestBody(required = false) NodeResume body) {
        return sandboxes.resume(id, body).view(node.id());
    }

    /** Starts a new sandbox from the snapshot the paused sandbox {@code id} is at; answers once it runs. */
    @PostMapping(NodePaths.FORK)
    @ResponseStatus(HttpStatus.CREATED)
    NodeSandbox fork(@PathVariable String id, @RequestBody NodeFork body) {
        return forks.fork(id, body).view(node.id());
    }

    /** The node's TTL deadline follows the control plane's. */
    @PostMapping(NodePaths.TTL)
    NodeSandbox extendTtl(@PathVariable String id, @RequestBody TtlChange change) {
        if (change == null || change.expiresAt() == null) {
            throw ApiException.badRequest("invalid_expires_at", "expiresAt is required");
        }
        return sandboxes.extendTtl(id, change.expiresAt()).view(node.id());
    }

    @DeleteMapping(NodePaths.SANDBOX)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void stop(@PathVariable String id) {
        sandboxes.stop(id);
    }
}
