package dev.crownest.node.terminal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.node.agent.ProcessAgents;
import dev.crownest.nodeclient.protocol.TerminalFrames;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;

/**
 * The node's end of a terminal ({@link TerminalFrames}): once the handshake was accepted
 * ({@link TerminalHandshake}), starts the shell on a pseudo-terminal through the sandbox's process
 * agent (cn-agent.c, frame {@code T}), in /workspace with {@code TERM=xterm-256color}; binary frames
 * are typed into it, resize frames set its size. When the socket closes, the terminal's whole session
 * is killed inside the sandbox; when the shell exits, the socket gets its exit frame and closes.
 */
@Component
class TerminalSocket extends AbstractWebSocketHandler {
    private static final Logger log = LoggerFactory.getLogger(TerminalSocket.class);
    private static final String SESSION = TerminalSession.class.getName();

    private final ProcessAgents agents;
    private final ObjectMapper json;

    TerminalSocket(ProcessAgents agents, ObjectMapper json) {
        this.agents = agents;
        this.json = json;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession socket) {
        TerminalRequest request = (TerminalRequest) socket.getAttributes().get(TerminalHandshake.REQUEST);
        Map<String, String> env = new HashMap<>();
        if (request.sandbox().spec().env() != null) {
            env.putAll(request.sandbox().spec().env());
        }
        env.put("TERM", "xterm-256color");
        TerminalSession session = new TerminalSession(socket, json);
        socket.getAttributes().put(SESSION, session);
        session.start(agents.of(request.sandbox().containerId())
                .terminal(request.argv(), "/workspace", env, request.cols(), request.rows(), session));
    }

    @Override
    protected void handleBinaryMessage(WebSocketSession socket, BinaryMessage message) {
        byte[] input = new byte[message.getPayloadLength()];
        message.getPayload().get(input);
        session(socket).input(input);
    }

    @Override
    protected void handleTextMessage(WebSocketSession socket, TextMessage message) {
        try {
            JsonNode frame = json.readTree(message.getPayload());
            int cols = frame.path("cols").asInt(0);
            int rows = frame.path("rows").asInt(0);
            if (TerminalFrames.RESIZE.equals(frame.path("type").asText())
                    && TerminalFrames.validSize(cols)
                    && TerminalFrames.validSize(rows)) {
                session(socket).resize(cols, rows);
                return;
            }
        } catch (IOException notJson) {
            // ignored below, as any frame it does not know (the gateway answers clients' mistakes)
        }
        log.debug("terminal {} ignored a text frame it does not know", socket.getId());
    }

    @Override
    public void afterConnectionClosed(WebSocketSession socket, CloseStatus status) {
        TerminalSession session = (TerminalSession) socket.getAttributes().get(SESSION);
        if (session != null) {
            session.end();
        }
    }

    private static TerminalSession session(WebSocketSession socket) {
        return (TerminalSession) socket.getAttributes().get(SESSION);
    }
}
