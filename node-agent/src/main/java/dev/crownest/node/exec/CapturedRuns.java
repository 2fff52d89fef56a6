package dev.crownest.node.exec;

import dev.crownest.node.agent.ProcessAgent;
import dev.crownest.nodeclient.protocol.ExecChunk;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Runs a command to its end the way an exec does (same agent, timeout and kill), keeping the tail of
 * its output (stdout and stderr in the order they came) instead of streaming it: for the node's own
 * work in a sandbox, such as a template build's steps.
 */
@Component
public class CapturedRuns {
    private final RunLoop runLoop;

    CapturedRuns(RunLoop runLoop) {
        this.runLoop = runLoop;
    }

    /** How a captured run ended: its output's last {@code capBytes}, exit code, and whether the timeout ended it. */
    public record Result(String output, int exitCode, boolean timedOut) {}

    public Result run(
            ProcessAgent agent,
            List<String> argv,
            String cwd,
            Map<String, String> env,
            String stdin,
            long timeoutMs,
            int capBytes)
            throws IOException {
        Tail tail = new Tail(capBytes);
        runLoop.run(agent, cwd, env, argv, stdin, timeoutMs, new RunningCommand(), tail);
        ExecChunk exit = tail.exit;
        if (exit == null) {
            return new Result(tail.text(), AgentOutput.KILLED, false);
        }
        return new Result(tail.text(), exit.exitCode(), Boolean.TRUE.equals(exit.timedOut()));
    }

    /** Keeps the last {@code cap} bytes of everything written. */
    private static final class Tail extends ChunkWriter {
        private final int cap;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private boolean cut;
        private ExecChunk exit;

        Tail(int cap) {
            super(OutputStream.nullOutputStream(), Long.MAX_VALUE);
            this.cap = cap;
        }

        @Override
        void write(String stream, byte[] data) {
            kept.writeBytes(data);
            if (kept.size() > 2 * cap) {
                byte[] all = kept.toByteArray();
                kept.reset();
                kept.write(all, all.length - cap, cap);
                cut = true;
            }
        }

        @Override
        void exit(ExecChunk exit) {
            this.exit = exit;
        }

        String text() {
            byte[] all = kept.toByteArray();
            int from = Math.max(0, all.length - cap);
            String text = new String(all, from, all.length - from, StandardCharsets.UTF_8);
            return cut || from > 0 ? "[earlier output cut]\n" + text : text;
        }
    }
}
