package dev.crownest.gateway.mcp;

import io.modelcontextprotocol.server.McpStatelessServerFeatures.AsyncToolSpecification;
import java.util.List;

/** A group of MCP tools; the endpoint offers every group's tools. */
interface McpToolSet {
    List<AsyncToolSpecification> tools();
}
