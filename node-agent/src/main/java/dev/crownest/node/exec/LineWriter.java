package dev.crownest.node.exec;

import dev.crownest.nodeclient.protocol.ExecChunk;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Base64;

/** One {@link ExecChunk} per line, output in base64: readable by anything that reads JSON. */
final class LineWriter extends ChunkWriter {
    LineWriter(OutputStream out, long limit) {
        super(out, limit);
    }

    @Override
    void write(String stream, byte[] data) throws IOException {
        line(new ExecChunk(stream, Base64.getEncoder().encodeToString(data), null, null, null, null));
    }

    @Override
    void exit(ExecChunk exit) throws IOException {
        line(exit);
    }

    private void line(ExecChunk chunk) throws IOException {
        out.write(JSON.writeValueAsBytes(chunk));
        out.write('\n');
        out.flush();
    }
}
