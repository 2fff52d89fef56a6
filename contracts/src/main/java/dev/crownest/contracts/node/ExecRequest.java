package dev.crownest.contracts.node;

import java.util.Map;

/**
 * Body of the node agent's {@code POST /node/v1/sandboxes/{id}/exec}. The answer is
 * {@code application/x-ndjson}: one {@link ExecChunk} per line, the last one of stream {@code exit}.
 *
 * @param cmd run by {@code /bin/sh -c} inside the sandbox
 */
public record ExecRequest(String commandId, String cmd, String cwd, Map<String, String> env,
                          long timeoutMs, String stdin) {
}
