package dev.crownest.contracts.text;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Keeps the first {@code cap} bytes of one output stream, as a command's record keeps them (the
 * execution worker for the runs it makes, the node agent for the runs the gateway makes on it). Bytes
 * are joined before decoding, so a UTF-8 character split across chunks comes out whole; a character
 * cut at the cap is dropped. Not thread-safe: one writer.
 */
public final class CappedOutput {
    private final int cap;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private boolean truncated;
    private long total;

    public CappedOutput(int cap) {
        this.cap = cap;
    }

    public void add(byte[] chunk) {
        total += chunk.length;
        int room = cap - bytes.size();
        if (chunk.length > room) {
            truncated = true;
        }
        bytes.write(chunk, 0, Math.max(0, Math.min(room, chunk.length)));
    }

    /** Whether bytes past the cap were dropped. */
    public boolean truncated() {
        return truncated;
    }

    /** Every byte seen, kept or not. */
    public long totalBytes() {
        return total;
    }

    public String text() {
        byte[] all = bytes.toByteArray();
        int end = all.length;
        if (truncated) {
            end = Utf8.completeLength(all, all.length);
        }
        return new String(all, 0, end, StandardCharsets.UTF_8);
    }
}
