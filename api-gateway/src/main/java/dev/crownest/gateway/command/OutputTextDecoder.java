package dev.crownest.gateway.command;

import dev.crownest.contracts.text.Utf8;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns one output stream's byte chunks into UTF-8 text. A character split across two chunks is kept
 * until its remaining bytes arrive instead of becoming two replacement characters; invalid bytes do
 * become U+FFFD. Not thread-safe: one per stream of one command.
 *
 * <p>The complete part of a chunk is decoded by {@code new String(bytes, UTF_8)}, the JDK's fast path
 * for ASCII (a CharsetDecoder into a CharBuffer widened and narrowed every character again).
 */
final class OutputTextDecoder {

    private byte[] pending = new byte[0];

    /** The text completed by {@code bytes}; may be empty when they end inside a character. */
    String decode(byte[] bytes) {
        byte[] in = bytes;
        if (pending.length > 0) {
            in = new byte[pending.length + bytes.length];
            System.arraycopy(pending, 0, in, 0, pending.length);
            System.arraycopy(bytes, 0, in, pending.length, bytes.length);
        }
        int complete = Utf8.completeLength(in, in.length);
        pending = Arrays.copyOfRange(in, complete, in.length);
        return new String(in, 0, complete, StandardCharsets.UTF_8);
    }

    /** Bytes of a character not yet whole, held back from the text so far. */
    int pendingBytes() {
        return pending.length;
    }

    /** Whatever is left at the end of the stream: an unfinished character decodes as U+FFFD. */
    String finish() {
        String rest = new String(pending, StandardCharsets.UTF_8);
        pending = new byte[0];
        return rest;
    }
}
