package dev.crownest.contracts.event;

/**
 * A chunk of a running command's output on {@link Topics#COMMAND_OUTPUT}; the last chunk of a
 * command has stream {@code exit} and carries the exit code. Not an audited event: transient.
 *
 * @param seq  position of the chunk within the command, from 0
 * @param data     the bytes, base64-encoded (output need not be UTF-8)
 * @param exitCode on the exit chunk only
 * @param timedOut on the exit chunk only: the command was killed at its timeout
 */
public record CommandOutput(String commandId, String sandboxId, String tenantId, long seq,
                            String stream, String data, Integer exitCode, Boolean timedOut) {
    public static final String STDOUT = "stdout";
    public static final String STDERR = "stderr";
    public static final String EXIT = "exit";
}
