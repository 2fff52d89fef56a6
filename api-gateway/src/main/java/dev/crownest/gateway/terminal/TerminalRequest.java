package dev.crownest.gateway.terminal;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.nodeclient.protocol.TerminalFrames;
import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * A terminal's query ({@code cols}, {@code rows}, {@code command}), checked before anything else: 400
 * {@code invalid_terminal_size} or {@code invalid_command} in the one error shape, nothing opened.
 */
record TerminalRequest(int cols, int rows, String command) {

    static TerminalRequest of(ServerRequest request) {
        String command = request.queryParam(TerminalFrames.COMMAND).orElse(null);
        if (command != null
                && (command.isBlank() || command.length() > TerminalFrames.MAX_COMMAND || command.indexOf('\0') >= 0)) {
            throw ApiException.badRequest(
                    "invalid_command",
                    "command must be 1 to " + TerminalFrames.MAX_COMMAND + " characters without NUL");
        }
        return new TerminalRequest(
                size(request, TerminalFrames.COLS, TerminalFrames.DEFAULT_COLS),
                size(request, TerminalFrames.ROWS, TerminalFrames.DEFAULT_ROWS),
                command);
    }

    private static int size(ServerRequest request, String name, int orElse) {
        String value = request.queryParam(name).orElse(null);
        if (value == null) {
            return orElse;
        }
        try {
            int n = Integer.parseInt(value);
            if (TerminalFrames.validSize(n)) {
                return n;
            }
        } catch (NumberFormatException notANumber) {
            // refused below
        }
        throw ApiException.badRequest(
                "invalid_terminal_size",
                name + " must be a whole number from " + TerminalFrames.MIN_SIZE + " to " + TerminalFrames.MAX_SIZE);
    }
}
