package dev.crownest.sandbox.node;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code crownest.nodes.*}: when a node counts as lost.
 *
 * @param heartbeatTimeout {@code CROWNEST_NODES_HEARTBEAT_TIMEOUT}: a node silent for longer than this, while this
 *                         instance provably hears the heartbeat topic, is {@code down} and its sandboxes end
 *                         {@code failed}/{@code node_lost}; default 10s (nodes send a heartbeat every second)
 */
@ConfigurationProperties(prefix = "crownest.nodes")
public record NodeLossProperties(@DefaultValue("10s") Duration heartbeatTimeout) {}
