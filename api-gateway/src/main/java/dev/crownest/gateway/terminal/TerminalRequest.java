package dev.crownest.gateway.terminal;

import dev.crownest.nodeclient.protocol.TerminalFrames;
import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * A terminal's query ({@code cols}, {@code rows}, {@code command}), checked before anything else: 400
 * {@code invalid_terminal_size} or {@code invalid_command} in the one error shape, nothing opened.
 */
record TerminalRequest(int cols, int rows, String command) {

    static TerminalRequest of(ServerRequest request) {
        return new TerminalRequest(
                TerminalFrames.size(
                        TerminalFrames.COLS,
                        request.queryParam(TerminalFrames.COLS).orElse(null),
                        TerminalFrames.DEFAULT_COLS),
                TerminalFrames.size(
                        TerminalFrames.ROWS,
                        request.queryParam(TerminalFrames.ROWS).orElse(null),
                        TerminalFrames.DEFAULT_ROWS),
                TerminalFrames.command(
                        request.queryParam(TerminalFrames.COMMAND).orElse(null)));
    }
}
