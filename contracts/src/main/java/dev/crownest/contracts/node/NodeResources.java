package dev.crownest.contracts.node;

/**
 * An amount of a node's resources: what it offers ({@code capacity}) or what its sandboxes hold
 * ({@code use}) in a {@link dev.crownest.contracts.event.NodeHeartbeat}.
 *
 * @param cpu       vCPUs
 * @param memoryMb  memory in MB
 * @param sandboxes sandboxes (capacity: how many of the default shape fit)
 */
public record NodeResources(int cpu, long memoryMb, int sandboxes) {}
