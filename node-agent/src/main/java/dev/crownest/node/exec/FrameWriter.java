package dev.crownest.node.exec;

import dev.crownest.nodeclient.protocol.ExecChunk;
import dev.crownest.nodeclient.protocol.ExecFrames;
import dev.crownest.nodeclient.protocol.OutputGap;
import java.io.IOException;
import java.io.OutputStream;

/** Output as its own bytes: nothing to encode here or to decode at the worker. */
final class FrameWriter extends ChunkWriter {
    FrameWriter(OutputStream out, long limit) {
        super(out, limit);
    }

    @Override
    void write(String stream, byte[] data) throws IOException {
        ExecFrames.writeOutput(out, stream, data);
        out.flush();
    }

    /** A gap of a replay: bytes of a stream that were not kept. */
    void gap(OutputGap gap) throws IOException {
        ExecFrames.writeGap(out, JSON.writeValueAsBytes(gap));
        out.flush();
    }

    @Override
    void exit(ExecChunk exit) throws IOException {
        ExecFrames.writeExit(out, JSON.writeValueAsBytes(exit));
        out.flush();
    }
}
