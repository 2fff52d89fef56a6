package dev.crownest.worker.command;

import dev.crownest.contracts.text.Utf8;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Keeps the first {@code cap} bytes of one output stream. Bytes are joined before decoding, so a
 * UTF-8 character split across chunks comes out whole; a character cut at the cap is dropped.
 */
final class OutputCollector {
    private final int cap;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private boolean truncated;

    OutputCollector(int cap) {
        this.cap = cap;
    }

    void add(byte[] chunk) {
        int room = cap - bytes.size();
        if (chunk.length > room) {
            truncated = true;
        }
        bytes.write(chunk, 0, Math.max(0, Math.min(room, chunk.length)));
    }

    boolean truncated() {
        return truncated;
    }

    String text() {
        byte[] all = bytes.toByteArray();
        int end = all.length;
        if (truncated) {
            end = Utf8.completeLength(all, all.length);
        }
        return new String(all, 0, end, StandardCharsets.UTF_8);
    }
}
