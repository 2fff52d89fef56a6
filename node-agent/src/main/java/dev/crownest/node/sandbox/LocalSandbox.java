package dev.crownest.node.sandbox;

import dev.crownest.contracts.node.NodeSandbox;
import dev.crownest.contracts.node.NodeSandboxSpec;

import java.time.Instant;

/** A sandbox this node runs, as persisted in its directory (sandbox.json) to be adopted after a restart. */
public record LocalSandbox(NodeSandboxSpec spec, Instant startedAt) {
    public NodeSandbox view(String nodeId) {
        return new NodeSandbox(spec.sandboxId(), spec.tenantId(), "running", spec.template(), startedAt, spec.expiresAt(), nodeId);
    }
}
