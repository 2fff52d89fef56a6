package dev.crownest.nodeclient.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The binary form of an exec stream ({@link #MEDIA_TYPE}), which the node agent answers instead of
 * NDJSON when the caller accepts it. Output travels as its own bytes: in NDJSON every byte is base64
 * encoded, escaped, parsed and decoded again, which cost the node and the worker most of their time
 * on a fast stream.
 *
 * <p>A frame is one byte of type ({@code '1'} stdout, {@code '2'} stderr, {@code 'X'} exit), the
 * payload's length as a big-endian u32, then the payload: the output bytes, or for the exit the JSON of
 * its {@link ExecChunk} (stream {@code exit}, without data). The exit frame is the last. A watch that
 * replays kept output ({@code stdoutFrom}/{@code stderrFrom}) may also send {@code 'G'}, a gap: the JSON
 * of an {@link OutputGap}, bytes of a stream the node no longer kept.
 */
public final class ExecFrames {

    /** The media type a caller accepts to be answered in frames. */
    public static final String MEDIA_TYPE = "application/vnd.crownest.exec-frames";

    public static final byte STDOUT = '1';
    public static final byte STDERR = '2';
    public static final byte EXIT = 'X';
    public static final byte GAP = 'G';
    /** A frame's header: its type, then its payload's length. */
    public static final int HEADER_BYTES = 5;

    /** One frame read back: its type and payload. */
    public record Frame(byte type, byte[] payload) {
        /** {@code stdout}, {@code stderr} or {@code exit}, as {@link ExecChunk#stream()} names them. */
        public String stream() {
            return switch (type) {
                case STDOUT -> "stdout";
                case STDERR -> "stderr";
                case EXIT -> "exit";
                case GAP -> "gap";
                default -> throw new IllegalStateException("unknown exec frame type " + type);
            };
        }
    }

    private ExecFrames() {}

    /** Writes one frame of output of {@code stream} (stdout or stderr). */
    public static void writeOutput(OutputStream out, String stream, byte[] data) throws IOException {
        write(out, "stderr".equals(stream) ? STDERR : STDOUT, data);
    }

    /** Writes the exit frame, {@code exitJson} being the JSON of its {@link ExecChunk}. */
    public static void writeExit(OutputStream out, byte[] exitJson) throws IOException {
        write(out, EXIT, exitJson);
    }

    /** Writes a gap frame, {@code gapJson} being the JSON of its {@link OutputGap}. */
    public static void writeGap(OutputStream out, byte[] gapJson) throws IOException {
        write(out, GAP, gapJson);
    }

    /** The payload length a frame's {@link #HEADER_BYTES} give (negative for a corrupt one). */
    public static int payloadLength(byte[] header) {
        return (header[1] & 0xff) << 24 | (header[2] & 0xff) << 16 | (header[3] & 0xff) << 8 | header[4] & 0xff;
    }

    /** The next frame, or null at the end of the stream; a frame cut short is an {@link EOFException}. */
    public static Frame read(InputStream in) throws IOException {
        byte[] header = in.readNBytes(HEADER_BYTES);
        if (header.length == 0) {
            return null;
        }
        if (header.length < HEADER_BYTES) {
            throw new EOFException("exec frame header cut short");
        }
        int length = payloadLength(header);
        if (length < 0) {
            throw new IOException("exec frame of negative length");
        }
        byte[] payload = new byte[length];
        if (in.readNBytes(payload, 0, length) < length) {
            throw new EOFException("exec frame cut short");
        }
        return new Frame(header[0], payload);
    }

    private static void write(OutputStream out, byte type, byte[] payload) throws IOException {
        int n = payload.length;
        out.write(new byte[] {type, (byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
        out.write(payload);
    }
}
