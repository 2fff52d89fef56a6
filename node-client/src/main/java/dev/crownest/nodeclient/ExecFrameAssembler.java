package dev.crownest.nodeclient;

import dev.crownest.nodeclient.protocol.ExecFrames;
import java.util.ArrayList;
import java.util.List;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * Cuts a node's {@link ExecFrames} out of the buffers its answer arrives in, wherever they split a
 * frame; each payload is copied once, straight into its own array. Not thread-safe: one per stream.
 */
final class ExecFrameAssembler {
    /** Larger than any frame a node writes (the process agent's 1 MiB, joined up to 256 KiB more). */
    private static final int MAX_PAYLOAD = 16 << 20;

    private final byte[] header = new byte[ExecFrames.HEADER_BYTES];
    private int headerFilled;
    private byte[] payload;
    private int payloadFilled;

    /** The frames {@code buffer} completes, in order; the buffer is released. */
    List<ExecFrames.Frame> feed(DataBuffer buffer) {
        List<ExecFrames.Frame> frames = new ArrayList<>(2);
        try {
            while (true) {
                if (payload == null) {
                    int n = Math.min(header.length - headerFilled, buffer.readableByteCount());
                    buffer.read(header, headerFilled, n);
                    headerFilled += n;
                    if (headerFilled < header.length) {
                        return frames;
                    }
                    int length = ExecFrames.payloadLength(header);
                    if (length < 0 || length > MAX_PAYLOAD) {
                        throw new IllegalStateException("an exec frame of " + length + " bytes from the node");
                    }
                    payload = new byte[length];
                    payloadFilled = 0;
                }
                int n = Math.min(payload.length - payloadFilled, buffer.readableByteCount());
                buffer.read(payload, payloadFilled, n);
                payloadFilled += n;
                if (payloadFilled < payload.length) {
                    return frames;
                }
                frames.add(new ExecFrames.Frame(header[0], payload));
                payload = null;
                headerFilled = 0;
            }
        } finally {
            DataBufferUtils.release(buffer);
        }
    }
}
