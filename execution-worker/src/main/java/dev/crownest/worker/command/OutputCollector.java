package dev.crownest.worker.command;

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
            end = completeCharacters(all);
        }
        return new String(all, 0, end, StandardCharsets.UTF_8);
    }

    /** Length without a trailing partial UTF-8 sequence. */
    private static int completeCharacters(byte[] b) {
        int i = b.length - 1;
        int continuation = 0;
        while (i >= 0 && (b[i] & 0xC0) == 0x80 && continuation < 3) {
            i--;
            continuation++;
        }
        if (i < 0) {
            return b.length;
        }
        int lead = b[i] & 0xFF;
        int expected = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
        return expected == continuation ? b.length : i;
    }
}
