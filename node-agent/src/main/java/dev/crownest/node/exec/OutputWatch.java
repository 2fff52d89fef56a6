package dev.crownest.node.exec;

import dev.crownest.nodeclient.protocol.ExecChunk;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A second reader of one command's output: the gateway streaming it straight to a client, beside the
 * execution worker that records it. The command's exec loop hands it each piece it wrote for the
 * worker; the watch's own response thread writes them out. A watch may come before its command
 * starts (the gateway opens it before asking for the run, so no output can be missed).
 *
 * <p>A slow watcher slows its command down, as a slow worker does (the process agent's window), but
 * never past the command's deadline: a piece not taken by then drops the watch.
 */
final class OutputWatch {
    /** A piece of output of {@code stream} (stdout, stderr). */
    record Piece(String stream, byte[] data) {}

    private final BlockingQueue<Object> pieces = new ArrayBlockingQueue<>(4);
    private volatile boolean started;
    private volatile boolean ended;
    private volatile boolean gone;

    /** The command took this watch: from now on it is fed. */
    void started() {
        started = true;
    }

    boolean isStarted() {
        return started;
    }

    /**
     * From the exec loop: a {@link Piece} or the exit {@link ExecChunk}; false once the watcher went
     * away or did not take it within {@code patienceNanos}.
     */
    boolean offer(Object piece, long patienceNanos) {
        if (gone) {
            return false;
        }
        try {
            if (!pieces.offer(piece, Math.max(0, patienceNanos), TimeUnit.NANOSECONDS)) {
                leave();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            leave();
        }
        return !gone;
    }

    /**
     * From the exec loop, last: the command gives nothing more. What is queued is still read (an exit,
     * if the command had one, is among it); then the watch is over.
     */
    void end() {
        ended = true;
    }

    /**
     * From the watch's response thread: the next {@link Piece} or exit {@link ExecChunk}; null when
     * nothing came within the timeout, or when the command ended and all it gave was read (the watch is
     * then gone).
     */
    Object next(long timeoutNanos) throws InterruptedException {
        Object piece = pieces.poll(ended ? 0 : timeoutNanos, TimeUnit.NANOSECONDS);
        if (piece == null && ended) {
            gone = pieces.isEmpty();
        }
        return piece;
    }

    /** Whether the watch is over: its reader left, or its command ended and all it gave was read. */
    boolean isGone() {
        return gone;
    }

    /** The watcher went away: nothing more is queued for it. */
    void leave() {
        gone = true;
        pieces.clear();
    }
}
