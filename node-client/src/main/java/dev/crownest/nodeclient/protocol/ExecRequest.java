package dev.crownest.nodeclient.protocol;

import dev.crownest.contracts.event.CommandFact;
import java.util.Map;

/**
 * Body of the node agent's {@code POST /node/v1/sandboxes/{id}/exec}. The answer is
 * {@code application/x-ndjson}: one {@link ExecChunk} per line, the last one of stream {@code exit}.
 *
 * @param cmd         run by {@code /bin/sh -c} inside the sandbox
 * @param outputLimit at most this many bytes of each of stdout and stderr are sent to this caller, the
 *                    rest is read and dropped (null: all of it); the execution worker keeps only its cap
 *                    of each for the command's record, and a client streaming the command gets all of it
 *                    through its own watch
 * @param record      the run's facts when the gateway runs it on the node itself (the data plane): the
 *                    node then writes them, and the exit with the kept output, to its outbox for the
 *                    control plane to record, before it starts the command and before it tells the
 *                    exit; its exit frame carries the kept output ({@link ExecChunk#stdout()}). Null:
 *                    the worker runs it for the control plane, which records it itself.
 */
public record ExecRequest(
        String commandId,
        String cmd,
        String cwd,
        Map<String, String> env,
        long timeoutMs,
        String stdin,
        Long outputLimit,
        CommandFact.Run record) {

    /** A run the control plane records itself. */
    public ExecRequest(
            String commandId,
            String cmd,
            String cwd,
            Map<String, String> env,
            long timeoutMs,
            String stdin,
            Long outputLimit) {
        this(commandId, cmd, cwd, env, timeoutMs, stdin, outputLimit, null);
    }
}
