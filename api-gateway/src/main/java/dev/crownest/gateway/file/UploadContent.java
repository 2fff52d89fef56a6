package dev.crownest.gateway.file;

import dev.crownest.contracts.api.ApiException;
import java.util.function.BiFunction;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.web.reactive.function.server.ServerRequest;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The content of a file write, streamed: the raw body, or with {@code multipart/form-data} the part
 * named {@code file} (read as {@link PartEvent}s, which hand the part's bytes on as they arrive instead
 * of storing the part first). Other parts are skipped. Either way at most {@code maxBytes} pass.
 */
final class UploadContent {
    static final String FILE_PART = "file";

    private UploadContent() {}

    /**
     * Hands the content and its length (-1 when unknown) to {@code write} and answers what it answers.
     */
    static <T> Mono<T> of(ServerRequest request, long maxBytes, BiFunction<Flux<DataBuffer>, Long, Mono<T>> write) {
        long declared = request.headers().contentLength().orElse(-1);
        MediaType type = request.headers().contentType().orElse(MediaType.APPLICATION_OCTET_STREAM);
        if (MediaType.MULTIPART_FORM_DATA.isCompatibleWith(type)) {
            return request.bodyToFlux(PartEvent.class)
                    .windowUntil(PartEvent::isLast)
                    .concatMap(
                            part -> part.switchOnFirst((first, events) -> {
                                if (first.hasValue()
                                        && FILE_PART.equals(first.get().name())) {
                                    return write.apply(
                                            UploadLimit.apply(events.map(PartEvent::content), maxBytes), -1L);
                                }
                                return events.doOnNext(event -> DataBufferUtils.release(event.content()))
                                        .then(Mono.<T>empty());
                            }),
                            1)
                    .next()
                    .switchIfEmpty(Mono.error(() -> ApiException.badRequest(
                            "missing_file_part",
                            "a multipart upload carries the file in a part named '" + FILE_PART + "'")));
        }
        if (declared > maxBytes) {
            // refused by the declared length before a byte is read
            return Mono.error(UploadLimit.tooLarge(maxBytes));
        }
        return write.apply(UploadLimit.apply(request.bodyToFlux(DataBuffer.class), maxBytes), declared);
    }
}
