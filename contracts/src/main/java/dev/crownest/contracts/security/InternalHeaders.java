package dev.crownest.contracts.security;

/**
 * Headers the gateway sets on calls to internal services once it has authenticated the caller.
 * Internal services trust them, on a call that carries a valid {@link #SERVICE_TOKEN}, and scope
 * every read and write to the tenant they name.
 */
public final class InternalHeaders {
    public static final String TENANT_ID = "X-CrowNest-Tenant";
    /** Restricts the call to one project when the key is project-restricted. */
    public static final String PROJECT_ID = "X-CrowNest-Project";
    /** The acting API key id (never its secret), or {@code operator}. */
    public static final String ACTOR = "X-CrowNest-Actor";

    public static final String REQUEST_ID = "X-Request-Id";

    /**
     * The calling service's credential ({@link ServiceTokens}), on every call to an internal service and
     * on the {@code CONNECT} of a node's preview tunnel; without a valid one the answer is 401.
     */
    public static final String SERVICE_TOKEN = "X-CrowNest-Service-Token";

    /**
     * The id of a command to run, chosen by the gateway when it streams the command's output and so
     * must know the id up front; it also carries that id back to a streaming client.
     */
    public static final String COMMAND_ID = "X-CrowNest-Command-Id";

    private InternalHeaders() {}
}
