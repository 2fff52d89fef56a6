package dev.crownest.contracts.event;

/**
 * A record of {@link Topics#COMMAND_OUTPUT}. The execution worker publishes one per command, of stream
 * {@code exit}, once the command's record is finished: a gateway streaming the command ends its stream
 * with it. The output itself no longer travels here: the gateway reads it from the node (an exec
 * watch, node-client's {@code ExecFrames}), which spares every byte a trip through the
 * broker (the broker's copies capped a stream well below what the node gives: docs/benchmarks.md). Not an audited
 * event: transient.
 *
 * @param seq      0 (the exit is the command's only record)
 * @param stream   {@code exit}
 * @param data     null on the exit; in JSON a base64 string, as Jackson writes a {@code byte[]}
 * @param exitCode the command's exit code
 * @param timedOut the command was killed at its timeout
 */
public record CommandOutput(
        String commandId,
        String sandboxId,
        String tenantId,
        long seq,
        String stream,
        byte[] data,
        Integer exitCode,
        Boolean timedOut) {
    public static final String STDOUT = "stdout";
    public static final String STDERR = "stderr";
    public static final String EXIT = "exit";
}
