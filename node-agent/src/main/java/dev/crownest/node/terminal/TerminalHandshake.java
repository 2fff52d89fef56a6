package dev.crownest.node.terminal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.api.ApiError;
import dev.crownest.contracts.api.ApiException;
import dev.crownest.node.sandbox.LocalSandbox;
import dev.crownest.node.sandbox.NodeSandboxes;
import dev.crownest.nodeclient.protocol.NodePaths;
import dev.crownest.nodeclient.protocol.TerminalFrames;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.util.UriTemplate;

/**
 * Decides a terminal's handshake before the upgrade: 404 {@code sandbox_not_found} for a sandbox this
 * node does not run, 409 {@code sandbox_paused}, 400 for a size or command out of bounds, each in the
 * one error shape. An accepted handshake leaves its {@link TerminalRequest} in the session.
 */
@Component
class TerminalHandshake implements HandshakeInterceptor {
    static final String REQUEST = TerminalRequest.class.getName();
    private static final UriTemplate PATH = new UriTemplate(NodePaths.PTY);

    private final NodeSandboxes sandboxes;
    private final ObjectMapper json;

    TerminalHandshake(NodeSandboxes sandboxes, ObjectMapper json) {
        this.sandboxes = sandboxes;
        this.json = json;
    }

    @Override
    public boolean beforeHandshake(
            ServerHttpRequest request,
            ServerHttpResponse response,
            WebSocketHandler handler,
            Map<String, Object> attributes)
            throws IOException {
        try {
            attributes.put(REQUEST, terminal(request));
            return true;
        } catch (ApiException refused) {
            response.setStatusCode(HttpStatus.valueOf(refused.status()));
            response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
            json.writeValue(
                    response.getBody(), ApiError.of(refused.type(), refused.code(), refused.getMessage(), null));
            return false;
        }
    }

    @Override
    public void afterHandshake(
            ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler, Exception failure) {
        // nothing to undo: the terminal starts once the session is open
    }

    private TerminalRequest terminal(ServerHttpRequest request) {
        String sandboxId = PATH.match(request.getURI().getPath()).get("id");
        HttpServletRequest servlet = ((ServletServerHttpRequest) request).getServletRequest();
        int cols = TerminalFrames.size(
                TerminalFrames.COLS, servlet.getParameter(TerminalFrames.COLS), TerminalFrames.DEFAULT_COLS);
        int rows = TerminalFrames.size(
                TerminalFrames.ROWS, servlet.getParameter(TerminalFrames.ROWS), TerminalFrames.DEFAULT_ROWS);
        String command = TerminalFrames.command(servlet.getParameter(TerminalFrames.COMMAND));
        LocalSandbox sandbox = sandboxes
                .find(sandboxId)
                .orElseThrow(
                        () -> ApiException.notFound("sandbox_not_found", "no sandbox " + sandboxId + " on this node"));
        if (sandbox.paused()) {
            throw ApiException.conflict("sandbox_paused", "sandbox " + sandboxId + " is paused; resume it first");
        }
        return new TerminalRequest(sandbox, cols, rows, command);
    }
}
