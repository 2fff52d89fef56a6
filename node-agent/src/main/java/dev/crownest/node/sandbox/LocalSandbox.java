package dev.crownest.node.sandbox;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.crownest.nodeclient.protocol.NodeSandbox;
import dev.crownest.nodeclient.protocol.NodeSandboxSpec;
import java.time.Instant;

/**
 * A sandbox this node runs, as persisted in its directory (sandbox.json) to be adopted after a restart.
 *
 * @param containerId the runsc container id: the sandbox id for a cold start, the pool's own id
 *                    ({@code pool_...}) for a sandbox claimed from the warm pool; every runsc call uses it
 * @param state       {@code running} or {@code paused} (checkpointed to an image, no runsc container)
 * @param snapshotId  while paused, the snapshot its image is (the control plane's id; null if it gave none)
 * @param snapshotBytes while paused, what the image and the sandbox's disk hold on the node's disk
 */
public record LocalSandbox(
        NodeSandboxSpec spec,
        Instant startedAt,
        String containerId,
        String state,
        String snapshotId,
        Long snapshotBytes) {
    public static final String RUNNING = "running";
    public static final String PAUSED = "paused";

    @JsonCreator
    public LocalSandbox {
        // Records written before pause and the warm pool existed have neither field.
        containerId = containerId == null ? spec.sandboxId() : containerId;
        state = state == null ? RUNNING : state;
    }

    public LocalSandbox(NodeSandboxSpec spec, Instant startedAt) {
        this(spec, startedAt, spec.sandboxId(), RUNNING);
    }

    public LocalSandbox(NodeSandboxSpec spec, Instant startedAt, String containerId, String state) {
        this(spec, startedAt, containerId, state, null, null);
    }

    @JsonIgnore
    public boolean paused() {
        return PAUSED.equals(state);
    }

    /** Running again: the snapshot it was paused at is no longer its state. */
    LocalSandbox running() {
        return new LocalSandbox(spec, startedAt, containerId, RUNNING, null, null);
    }

    LocalSandbox pausedAt(String newSnapshotId, Long bytes) {
        return new LocalSandbox(spec, startedAt, containerId, PAUSED, newSnapshotId, bytes);
    }

    LocalSandbox withSpec(NodeSandboxSpec newSpec) {
        return new LocalSandbox(newSpec, startedAt, containerId, state, snapshotId, snapshotBytes);
    }

    public NodeSandbox view(String nodeId) {
        return new NodeSandbox(
                spec.sandboxId(),
                spec.tenantId(),
                state,
                spec.template(),
                startedAt,
                spec.expiresAt(),
                nodeId,
                snapshotId,
                snapshotBytes);
    }
}
