package dev.crownest.gateway.command;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns one output stream's byte chunks into UTF-8 text. A character split across two chunks is kept
 * until its remaining bytes arrive instead of becoming two replacement characters; invalid bytes do
 * become U+FFFD. Not thread-safe: one per stream of one command.
 */
final class OutputTextDecoder {

    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private byte[] pending = new byte[0];

    /** The text completed by {@code bytes}; may be empty when they end inside a character. */
    String decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.allocate(pending.length + bytes.length).put(pending).put(bytes).flip();
        CharBuffer out = CharBuffer.allocate(in.remaining() + 1);
        decoder.decode(in, out, false);
        pending = new byte[in.remaining()];
        in.get(pending);
        return out.flip().toString();
    }

    /** Whatever is left at the end of the stream: an unfinished character decodes as U+FFFD. */
    String finish() {
        ByteBuffer in = ByteBuffer.wrap(pending);
        CharBuffer out = CharBuffer.allocate(pending.length + 2);
        decoder.decode(in, out, true);
        decoder.flush(out);
        pending = new byte[0];
        decoder.reset();
        return out.flip().toString();
    }
}
