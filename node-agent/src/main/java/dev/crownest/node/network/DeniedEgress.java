package dev.crownest.node.network;

/**
 * Where the egress proxy reports each connection it refused, so a tenant can see what its sandbox
 * tried (issue 15, item 8). Called on the proxy's connection threads: it must not block. Destination
 * and reason only, never a request's path, headers or body.
 */
@FunctionalInterface
public interface DeniedEgress {

    /** Reasons, as the event and the API name them. */
    String NOT_ALLOWLISTED = "not_allowlisted";

    String DENIED_ADDRESS = "denied_address";
    String UNRESOLVED = "unresolved";
    String HOST_MISMATCH = "host_mismatch";
    String BAD_PORT = "bad_port";

    void denied(String sandboxId, String host, int port, String reason);
}
