package dev.crownest.contracts.event;

/**
 * A chunk of a running command's output on {@link Topics#COMMAND_OUTPUT}, written there by
 * {@link CommandOutputBytes} (not JSON); the last chunk of a
 * command has stream {@code exit} and carries the exit code. Not an audited event: transient.
 * A chunk holds what the command wrote to one stream in a row, up to the worker's
 * {@code crownest.worker.output-record-bytes} (256 KiB); chunks of both streams interleave in order.
 *
 * @param seq  position of the chunk within the command, from 0
 * @param data     the bytes (output need not be UTF-8); on the topic as they are ({@link CommandOutputBytes})
 * @param exitCode on the exit chunk only
 * @param timedOut on the exit chunk only: the command was killed at its timeout
 */
public record CommandOutput(String commandId, String sandboxId, String tenantId, long seq,
                            String stream, byte[] data, Integer exitCode, Boolean timedOut) {
    public static final String STDOUT = "stdout";
    public static final String STDERR = "stderr";
    public static final String EXIT = "exit";
}
