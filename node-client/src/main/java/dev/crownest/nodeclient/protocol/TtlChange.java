package dev.crownest.nodeclient.protocol;

import java.time.Instant;

/** Body of {@link NodePaths#TTL}: the node's TTL deadline follows the control plane's. */
public record TtlChange(Instant expiresAt) {}
