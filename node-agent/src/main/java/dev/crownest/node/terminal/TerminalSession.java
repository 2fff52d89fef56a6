package dev.crownest.node.terminal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.node.agent.ProcessAgent;
import dev.crownest.nodeclient.protocol.TerminalFrames;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * One open terminal: the shell's command in the process agent and the socket it talks to. The agent's
 * reader thread must never block, so output is queued and one virtual thread sends it, acknowledging
 * each piece to the agent once it went out: a client that reads slowly holds back its shell (the
 * agent's window), not the node's memory or the sandbox's other commands.
 */
final class TerminalSession implements ProcessAgent.Listener {
    /** The shell ended or the agent went away: what the sender ends the socket with. */
    private record End(CloseStatus status, String frame) {}

    private final WebSocketSession socket;
    private final ObjectMapper json;
    private final BlockingQueue<Object> outbound = new LinkedBlockingQueue<>();
    private volatile ProcessAgent.Command command;
    private volatile boolean ended;

    TerminalSession(WebSocketSession socket, ObjectMapper json) {
        this.socket = socket;
        this.json = json;
    }

    /** Starts sending once the shell's command is known (the agent may already have queued its output). */
    void start(ProcessAgent.Command started) {
        this.command = started;
        Thread.ofVirtual().name("terminal-" + socket.getId()).start(this::send);
    }

    void input(byte[] data) {
        if (!ended && data.length > 0) {
            command.write(data);
        }
    }

    void resize(int cols, int rows) {
        if (!ended) {
            command.resize(cols, rows);
        }
    }

    /** The socket closed: the terminal's session is killed inside the sandbox, and nothing more is sent. */
    void end() {
        if (ended) {
            return;
        }
        ended = true;
        command.kill();
        command.abandon();
        outbound.add(new End(null, null));
    }

    @Override
    public void output(String stream, byte[] data) {
        outbound.add(data);
    }

    @Override
    public void exited(int exitCode) {
        String frame;
        try {
            frame = json.writeValueAsString(Map.of("type", TerminalFrames.EXIT, "exitCode", exitCode));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        outbound.add(new End(CloseStatus.NORMAL, frame));
    }

    @Override
    public void lost() {
        outbound.add(new End(CloseStatus.SERVER_ERROR.withReason("the sandbox stopped or was paused"), null));
    }

    private void send() {
        try {
            while (true) {
                Object next = outbound.take();
                if (next instanceof byte[] data) {
                    for (int at = 0; at < data.length; at += TerminalFrames.MAX_FRAME_BYTES) {
                        byte[] piece = Arrays.copyOfRange(
                                data, at, Math.min(data.length, at + TerminalFrames.MAX_FRAME_BYTES));
                        socket.sendMessage(new BinaryMessage(piece));
                    }
                    command.ack(data.length);
                } else if (next instanceof End end) {
                    if (end.frame() != null) {
                        socket.sendMessage(new TextMessage(end.frame()));
                    }
                    if (end.status() != null) {
                        socket.close(end.status());
                    }
                    return;
                }
            }
        } catch (IOException | IllegalStateException gone) {
            // the socket closed meanwhile: end() kills the terminal
            end();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
