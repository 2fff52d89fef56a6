package dev.crownest.gateway.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.springframework.http.codec.ServerSentEvent;

/**
 * Writes a command's server-sent events as bytes, in the form Spring's SSE writer gives them
 * ({@code id:}, {@code event:}, {@code data:} with the JSON, a blank line). An output event's
 * {@code {"data": text}} is written here directly: it carries nearly every byte of a stream, and
 * through Jackson's string writer it was a quarter of the gateway's time on a fast stream (JFR). Other
 * events (exit, error) go through Jackson.
 */
final class ServerSentEventBytes {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OUTPUT_OPEN = "data:{\"data\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OUTPUT_CLOSE = "\"}\n\n".getBytes(StandardCharsets.US_ASCII);

    private final ObjectMapper json;

    ServerSentEventBytes(ObjectMapper json) {
        this.json = json;
    }

    /** The event's bytes, ready to send (the buffer is the caller's). */
    ByteBuffer render(ServerSentEvent<?> event) {
        Bytes out = new Bytes(64);
        if (event.id() != null) {
            out.ascii("id:").ascii(event.id()).ascii("\n");
        }
        if (event.event() != null) {
            out.ascii("event:").ascii(event.event()).ascii("\n");
        }
        if (event.data() instanceof CommandEventStream.Output output) {
            byte[] text = output.data().getBytes(StandardCharsets.UTF_8);
            out.ensure(OUTPUT_OPEN.length + text.length + text.length / 8 + OUTPUT_CLOSE.length);
            out.put(OUTPUT_OPEN);
            jsonEscaped(text, out);
            out.put(OUTPUT_CLOSE);
        } else {
            out.ascii("data:").put(jsonOf(event.data())).ascii("\n\n");
        }
        return out.toByteBuffer();
    }

    /**
     * The UTF-8 of a JSON string's content: quote, backslash and control characters escaped, every
     * other byte (multi-byte characters included, the text being valid UTF-8) as it is. Eight bytes
     * are looked at at once while none needs escaping (a byte-at-a-time loop took much of the
     * gateway's time on a fast stream: docs/benchmarks.md).
     */
    private static void jsonEscaped(byte[] text, Bytes out) {
        int plainFrom = 0;
        int i = 0;
        while (i < text.length) {
            if (i + Long.BYTES <= text.length && !anyToEscape((long) LONGS.get(text, i))) {
                i += Long.BYTES;
                continue;
            }
            int b = text[i];
            if (b >= 0x20 && b != '"' && b != '\\' || b < 0) {
                i++;
                continue;
            }
            out.put(text, plainFrom, i - plainFrom);
            plainFrom = ++i;
            switch (b) {
                case '"' -> out.ascii("\\\"");
                case '\\' -> out.ascii("\\\\");
                case '\n' -> out.ascii("\\n");
                case '\r' -> out.ascii("\\r");
                case '\t' -> out.ascii("\\t");
                default -> out.ascii("\\u00").put(HEX[b >> 4]).put(HEX[b & 0xf]);
            }
        }
        out.put(text, plainFrom, text.length - plainFrom);
    }

    /**
     * Whether any of the eight bytes of {@code v} is below 0x20, a quote or a backslash: the "has a
     * zero byte" test of each (after an xor) and the "has a byte less than" test, which may answer true
     * wrongly (the bytes are then looked at one by one) but never false wrongly.
     */
    private static boolean anyToEscape(long v) {
        long quote = v ^ 0x2222222222222222L;
        long backslash = v ^ 0x5c5c5c5c5c5c5c5cL;
        long control = (v - 0x2020202020202020L) & ~v;
        long zeroQuote = (quote - 0x0101010101010101L) & ~quote;
        long zeroBackslash = (backslash - 0x0101010101010101L) & ~backslash;
        return ((control | zeroQuote | zeroBackslash) & 0x8080808080808080L) != 0;
    }

    private byte[] jsonOf(Object data) {
        try {
            return json.writeValueAsBytes(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event of a command stream could not be written as JSON", e);
        }
    }

    /** A growable byte array. */
    private static final class Bytes {
        private byte[] buffer;
        private int size;

        Bytes(int capacity) {
            buffer = new byte[capacity];
        }

        void ensure(int more) {
            if (size + more > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(size + more, buffer.length * 2));
            }
        }

        Bytes put(byte[] bytes) {
            return put(bytes, 0, bytes.length);
        }

        Bytes put(byte[] bytes, int offset, int length) {
            ensure(length);
            System.arraycopy(bytes, offset, buffer, size, length);
            size += length;
            return this;
        }

        Bytes put(byte b) {
            ensure(1);
            buffer[size++] = b;
            return this;
        }

        Bytes ascii(String s) {
            return put(s.getBytes(StandardCharsets.US_ASCII));
        }

        ByteBuffer toByteBuffer() {
            return ByteBuffer.wrap(buffer, 0, size);
        }
    }
}
