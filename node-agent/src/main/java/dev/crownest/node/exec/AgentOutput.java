package dev.crownest.node.exec;

import dev.crownest.node.agent.ProcessAgent;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;

/**
 * A command's frames from its process agent, waiting for the HTTP writer; never more than the
 * agent's window (it holds the rest back in the command's pipes until the writer acknowledges).
 */
final class AgentOutput implements ProcessAgent.Listener {
    /** The exit code of a command killed by SIGKILL (its sandbox stopped under it, or the backstop gave up). */
    static final int KILLED = 137;
    /** The most output one chunk carries when several waiting pieces are joined. */
    private static final int JOINED = 256 * 1024;

    /** Output of {@code stream} (stdout, stderr), or the exit ({@code stream} exit, its code). */
    record Piece(String stream, byte[] data, int exitCode) {
        boolean exit() {
            return stream.equals("exit");
        }
    }

    private final LinkedBlockingDeque<Piece> pieces = new LinkedBlockingDeque<>();
    private volatile boolean abandoned;

    /** The next piece, waiting up to {@code timeoutNanos}; null when none came. */
    Piece poll(long timeoutNanos) throws InterruptedException {
        return pieces.poll(timeoutNanos, TimeUnit.NANOSECONDS);
    }

    /** Nobody reads the command any more: its later output is dropped, its exit still comes. */
    void abandon() {
        abandoned = true;
    }

    @Override
    public void output(String stream, byte[] data) {
        if (!abandoned) {
            pieces.add(new Piece(stream, data, 0));
        }
    }

    @Override
    public void exited(int exitCode) {
        pieces.add(new Piece("exit", null, exitCode));
    }

    @Override
    public void lost() {
        // the sandbox stopped or was paused under the command
        exited(KILLED);
    }

    /**
     * {@code first} and the output of the same stream queued right behind it, as one piece of up to
     * JOINED bytes: fewer, larger chunks for the worker and Kafka, without waiting for more.
     */
    Piece joinWaiting(Piece first) {
        Piece next = pieces.peekFirst();
        if (next == null || !next.stream().equals(first.stream())) {
            return first;
        }
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        joined.writeBytes(first.data());
        while (next != null
                && next.stream().equals(first.stream())
                && joined.size() + next.data().length <= JOINED
                && pieces.remove(next)) {
            joined.writeBytes(next.data());
            next = pieces.peekFirst();
        }
        return new Piece(first.stream(), joined.toByteArray(), 0);
    }
}
