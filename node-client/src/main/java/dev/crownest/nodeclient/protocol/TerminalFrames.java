package dev.crownest.nodeclient.protocol;

import dev.crownest.contracts.api.ApiException;

/**
 * The terminal WebSocket's protocol ({@link NodePaths#PTY}), the same on the node's socket as on the
 * gateway's public one ({@code GET /v1/sandboxes/{id}/pty}), so the gateway relays frames as they are.
 * Binary frames are the terminal's bytes: the client's are its input, the server's its output. Text
 * frames are JSON: the client's {@code {"type":"resize","cols":N,"rows":N}}; the server's
 * {@code {"type":"exit","exitCode":N}} once the shell ended, followed by a close with 1000.
 */
public final class TerminalFrames {
    /** Query parameters of the terminal's size, and their default and bounds. */
    public static final String COLS = "cols";

    public static final String ROWS = "rows";
    public static final String COMMAND = "command";
    public static final int DEFAULT_COLS = 80;
    public static final int DEFAULT_ROWS = 24;
    public static final int MIN_SIZE = 1;
    public static final int MAX_SIZE = 1000;
    /** The longest {@code command} a terminal starts with (in UTF-16 chars). */
    public static final int MAX_COMMAND = 4096;

    public static final String RESIZE = "resize";
    public static final String EXIT = "exit";
    /** The largest binary frame either side sends: larger output is split. */
    public static final int MAX_FRAME_BYTES = 64 * 1024;

    private TerminalFrames() {}

    /** Whether {@code n} is a valid column or row count. */
    public static boolean validSize(int n) {
        return n >= MIN_SIZE && n <= MAX_SIZE;
    }

    /**
     * The query parameter {@code name}'s size ({@code value}, null when absent: {@code orElse}); 400
     * {@code invalid_terminal_size} unless a whole number within the bounds. The gateway and the node
     * both check, with this.
     */
    public static int size(String name, String value, int orElse) {
        if (value == null) {
            return orElse;
        }
        try {
            int n = Integer.parseInt(value);
            if (validSize(n)) {
                return n;
            }
        } catch (NumberFormatException notANumber) {
            // refused below
        }
        throw ApiException.badRequest(
                "invalid_terminal_size", name + " must be a whole number from " + MIN_SIZE + " to " + MAX_SIZE);
    }

    /** The {@code command} parameter as given (null: the login shell); 400 {@code invalid_command} if unusable. */
    public static String command(String command) {
        if (command != null && (command.isBlank() || command.length() > MAX_COMMAND || command.indexOf('\0') >= 0)) {
            throw ApiException.badRequest(
                    "invalid_command", "command must be 1 to " + MAX_COMMAND + " characters without NUL");
        }
        return command;
    }
}
