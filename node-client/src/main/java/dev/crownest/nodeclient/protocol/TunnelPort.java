package dev.crownest.nodeclient.protocol;

/** Answer of {@link NodePaths#PREVIEW_TUNNEL}: the TCP port of the node's HTTP {@code CONNECT} listener. */
public record TunnelPort(int port) {}
