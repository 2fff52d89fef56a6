package dev.crownest.node.agent;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's end of one sandbox's process agent ({@code cn-agent}, src/main/c): a single
 * {@code runsc exec} that lives as long as the sandbox runs, through whose stdin and stdout every
 * command of the sandbox starts, streams and ends. A command then costs one fork and exec inside the
 * sandbox instead of a {@code runsc exec} of its own. The frames are described in cn-agent.c.
 *
 * <p>One reader thread hands each command's frames to its {@link Listener}, which must not block: a
 * command's output is bounded by the agent's window instead (the agent reads a command's pipes only
 * while less than a window of its output is unacknowledged, see {@link Command#ack}), so a slow reader
 * holds back its own command and never the sandbox's others.
 */
public final class ProcessAgent {
    private static final Logger log = LoggerFactory.getLogger(ProcessAgent.class);

    /** What becomes of one command. Calls come from the agent's reader thread, in order, and must not block. */
    public interface Listener {
        void output(String stream, byte[] data);

        void exited(int exitCode);

        /** The agent went away before the command's exit was told (the sandbox stopped or was paused). */
        void lost();
    }

    /** A started command: its stdin and its process group. */
    public final class Command {
        private final int id;

        private Command(int id) {
            this.id = id;
        }

        /** Kills the command's process group inside the sandbox, until no member is left. */
        public void kill() {
            send('K', id, new byte[0]);
        }

        /**
         * Tells the agent that {@code bytes} of the command's output were taken: it reads the command's
         * pipes only while less than its window is untaken.
         */
        public void ack(int bytes) {
            send('A', id, ByteBuffer.allocate(4).putInt(bytes).array());
        }

        /** Writes to the command's stdin (a terminal's: its input, as if typed). */
        public void write(byte[] input) {
            send('I', id, input);
        }

        /** Sets a terminal's size; its foreground group gets SIGWINCH. A command without one ignores it. */
        public void resize(int cols, int rows) {
            send(
                    'W',
                    id,
                    ByteBuffer.allocate(4)
                            .putShort((short) cols)
                            .putShort((short) rows)
                            .array());
        }

        /** Forgets the command: its later frames are dropped (nobody reads them). */
        public void abandon() {
            listeners.remove(id);
        }
    }

    private final String containerId;
    private final Process process;
    private final Consumer<ProcessAgent> onGone;
    private final DataOutputStream toAgent;
    private final Map<Integer, Listener> listeners = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private volatile boolean alive = true;

    /** {@code onGone} is told once the agent has ended, whatever ended it. */
    ProcessAgent(String containerId, Process process, Consumer<ProcessAgent> onGone) {
        this.containerId = containerId;
        this.process = process;
        this.onGone = onGone;
        this.toAgent = new DataOutputStream(new BufferedOutputStream(process.getOutputStream(), 64 * 1024));
        Thread.ofPlatform().daemon().name("cn-agent-" + containerId).start(this::read);
        Thread.ofVirtual().start(this::logErrors);
    }

    boolean alive() {
        return alive && process.isAlive();
    }

    /**
     * Starts {@code argv} in {@code cwd} with {@code env} added to the sandbox's own; {@code stdin}
     * (may be null) is written and then closed.
     */
    public Command run(List<String> argv, String cwd, Map<String, String> env, byte[] stdin, Listener listener) {
        int id = ids.incrementAndGet();
        listeners.put(id, listener);
        synchronized (toAgent) {
            send('R', id, commandLine(argv, cwd, env).toByteArray());
            if (stdin != null && stdin.length > 0) {
                send('I', id, stdin);
            }
            send('C', id, new byte[0]);
        }
        return new Command(id);
    }

    /**
     * Starts {@code argv} as {@link #run} does, on a new pseudo-terminal of {@code cols} x {@code rows}
     * that is its stdin, stdout and stderr and its controlling terminal. Its output comes as
     * {@code stdout}; {@link Command#kill} and the end of the agent kill its whole session.
     */
    public Command terminal(
            List<String> argv, String cwd, Map<String, String> env, int cols, int rows, Listener listener) {
        int id = ids.incrementAndGet();
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        payload.writeBytes(ByteBuffer.allocate(4)
                .putShort((short) cols)
                .putShort((short) rows)
                .array());
        payload.writeBytes(commandLine(argv, cwd, env).toByteArray());
        listeners.put(id, listener);
        send('T', id, payload.toByteArray());
        return new Command(id);
    }

    /** A run frame's payload: cwd NUL, "K=V" NUL ..., NUL, argv NUL ... */
    private static ByteArrayOutputStream commandLine(List<String> argv, String cwd, Map<String, String> env) {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        writeString(payload, cwd);
        env.forEach((k, v) -> writeString(payload, k + "=" + v));
        payload.write(0);
        argv.forEach(arg -> writeString(payload, arg));
        return payload;
    }

    /** Closing its stdin makes the agent kill every running command's group and exit. */
    void close() {
        alive = false;
        try {
            synchronized (toAgent) {
                toAgent.close();
            }
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void send(char type, int id, byte[] payload) {
        // An interrupted caller (a request whose client left, killing its command) must not close the
        // agent's stdin: a channel-backed stream (the docker runtime's) closes on an interrupted write.
        boolean interrupted = Thread.interrupted();
        synchronized (toAgent) {
            try {
                toAgent.writeByte(type);
                toAgent.writeInt(id);
                toAgent.writeInt(payload.length);
                toAgent.write(payload);
                toAgent.flush();
            } catch (IOException e) {
                // the agent is gone; the reader tells every listener
                alive = false;
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private void read() {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(process.getInputStream(), 128 * 1024))) {
            while (true) {
                char type = (char) in.readUnsignedByte();
                int id = in.readInt();
                byte[] payload = in.readNBytes(in.readInt());
                Listener listener = listeners.get(id);
                if (listener == null) {
                    continue;
                }
                switch (type) {
                    case '1' -> listener.output("stdout", payload);
                    case '2' -> listener.output("stderr", payload);
                    case 'X' -> {
                        listeners.remove(id);
                        listener.exited(Integer.parseInt(new String(payload, StandardCharsets.US_ASCII)));
                    }
                    default -> {
                        // 'P' (started) and frames of newer agents: nothing to do
                    }
                }
            }
        } catch (EOFException gone) {
            // the sandbox stopped, was paused, or the agent was closed
        } catch (IOException | RuntimeException e) {
            log.warn("process agent of {} failed: {}", containerId, e.toString());
            process.destroyForcibly();
        } finally {
            alive = false;
            listeners.values().forEach(Listener::lost);
            listeners.clear();
            onGone.accept(this);
        }
    }

    private void logErrors() {
        try (var err = process.getErrorStream()) {
            String text = new String(err.readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!text.isEmpty()) {
                log.warn("process agent of {}: {}", containerId, text);
            }
        } catch (IOException ignored) {
            // gone with the process
        }
    }

    private static void writeString(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        out.write(0);
    }
}
