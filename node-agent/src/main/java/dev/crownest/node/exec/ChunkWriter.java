package dev.crownest.node.exec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.crownest.nodeclient.protocol.ExecChunk;
import dev.crownest.nodeclient.protocol.ExecFrames;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Writes an exec stream, each piece flushed as it comes: NDJSON lines, or {@link ExecFrames} for the
 * worker; of each output stream no more than the request's {@code outputLimit} bytes.
 */
abstract class ChunkWriter {
    static final ObjectMapper JSON = new ObjectMapper()
            .findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    final OutputStream out;
    private final long limit;
    private long stdoutSent;
    private long stderrSent;

    ChunkWriter(OutputStream out, long limit) {
        this.out = out;
        this.limit = limit;
    }

    final void output(String stream, byte[] data) throws IOException {
        boolean stderr = "stderr".equals(stream);
        long room = limit - (stderr ? stderrSent : stdoutSent);
        int n = (int) Math.min(room, data.length);
        if (n <= 0) {
            return;
        }
        if (stderr) {
            stderrSent += n;
        } else {
            stdoutSent += n;
        }
        write(stream, n == data.length ? data : Arrays.copyOf(data, n));
    }

    abstract void write(String stream, byte[] data) throws IOException;

    abstract void exit(ExecChunk exit) throws IOException;

    void flush() throws IOException {
        out.flush();
    }
}
