package dev.crownest.gateway.file;

import dev.crownest.contracts.api.ApiException;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import reactor.core.publisher.Flux;

/**
 * The size cap of a file upload, counted while the content streams: the buffer that crosses the cap
 * is released and the flux fails with 413, which aborts the write to the node (it then drops its
 * temporary file, so nothing of the upload stays).
 */
final class UploadLimit {

    private UploadLimit() {}

    static ApiException tooLarge(long maxBytes) {
        return new ApiException(
                HttpStatus.PAYLOAD_TOO_LARGE.value(),
                "invalid_request",
                "payload_too_large",
                "the file is larger than the gateway accepts (" + maxBytes + " bytes)");
    }

    static Flux<DataBuffer> apply(Flux<DataBuffer> content, long maxBytes) {
        return Flux.defer(() -> {
            AtomicLong seen = new AtomicLong();
            return content.handle((buffer, sink) -> {
                if (seen.addAndGet(buffer.readableByteCount()) > maxBytes) {
                    DataBufferUtils.release(buffer);
                    sink.error(tooLarge(maxBytes));
                } else {
                    sink.next(buffer);
                }
            });
        });
    }
}
