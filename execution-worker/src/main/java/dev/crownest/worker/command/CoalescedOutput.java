package dev.crownest.worker.command;

import java.io.ByteArrayOutputStream;

/**
 * Joins consecutive chunks of one output stream into one {@code command-output} record. A node hands
 * over output as the pipe gives it (often 4 KiB at a time under gVisor), and every record costs a Kafka
 * send, a fetch and an SSE event on the way to the client; joined, a fast stream travels in records of
 * up to {@code maxBytes}. Not thread-safe: one per command, used by its runner alone.
 */
final class CoalescedOutput {

    /** Receives each record: its stream ({@code stdout}/{@code stderr}) and bytes. */
    @FunctionalInterface
    interface Sink {
        void publish(String stream, byte[] data);
    }

    private final Sink sink;
    private final int maxBytes;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private String pendingStream;
    private long pendingSince;

    CoalescedOutput(Sink sink, int maxBytes) {
        this.sink = sink;
        this.maxBytes = Math.max(1, maxBytes);
    }

    /** Adds a chunk; publishes what was pending first when the stream changes, and at {@code maxBytes}. */
    void add(String stream, byte[] data, long nowNanos) {
        if (data.length == 0) {
            return;
        }
        if (pendingStream != null && !pendingStream.equals(stream)) {
            flush();
        }
        if (pending.size() == 0) {
            pendingStream = stream;
            pendingSince = nowNanos;
        }
        int offset = 0;
        while (offset < data.length) {
            int n = Math.min(data.length - offset, maxBytes - pending.size());
            pending.write(data, offset, n);
            offset += n;
            if (pending.size() >= maxBytes) {
                flush();
                if (offset < data.length) {
                    pendingStream = stream;
                    pendingSince = nowNanos;
                }
            }
        }
    }

    boolean isEmpty() {
        return pending.size() == 0;
    }

    /** When the oldest pending byte arrived ({@link System#nanoTime()}); meaningless when empty. */
    long pendingSince() {
        return pendingSince;
    }

    /** Publishes what is pending, if anything. */
    void flush() {
        if (pending.size() > 0) {
            sink.publish(pendingStream, pending.toByteArray());
            pending.reset();
        }
        pendingStream = null;
    }
}
