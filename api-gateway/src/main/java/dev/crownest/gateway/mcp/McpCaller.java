package dev.crownest.gateway.mcp;

import io.modelcontextprotocol.common.McpTransportContext;
import java.util.Map;

/**
 * Who sent an MCP request, as the tools need it to call the public routes in the caller's name: the API key
 * itself (held for the request only, never logged) and the host the caller reached, so that URLs in answers
 * (previews) name the gateway as the caller sees it.
 */
record McpCaller(String apiKey, String host) {
    private static final String KEY = McpCaller.class.getName();

    McpTransportContext toContext() {
        return McpTransportContext.create(Map.of(KEY, this));
    }

    static McpCaller of(McpTransportContext context) {
        if (context.get(KEY) instanceof McpCaller caller) {
            return caller;
        }
        throw new IllegalStateException("MCP request without an authenticated caller");
    }

    @Override
    public String toString() {
        // never the key
        return "McpCaller[host=" + host + "]";
    }
}
