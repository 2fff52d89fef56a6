package dev.crownest.gateway.idempotency;

import dev.crownest.contracts.security.InternalHeaders;
import dev.crownest.gateway.key.Secrets;
import java.nio.charset.StandardCharsets;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Passes the answer through to the client and keeps a copy for the idempotency record. A streamed
 * answer (server-sent events, NDJSON) goes through untouched and is only marked as streamed: buffering a
 * command's output stream would hold it back from the client. A body with a secret in it (a new API key
 * or admin token) is never kept: secrets are stored only as hashes.
 */
final class CapturingResponse extends ServerHttpResponseDecorator {

    private final String requestPath;
    private byte[] body = new byte[0];
    private boolean streamed;

    CapturingResponse(ServerHttpResponse delegate, String requestPath) {
        super(delegate);
        this.requestPath = requestPath;
    }

    /** Whether the answer began streaming: the work (a command) has started, whatever the client does now. */
    boolean streamed() {
        return streamed;
    }

    @Override
    public Mono<Void> writeWith(Publisher<? extends DataBuffer> content) {
        if (isStream(getHeaders().getContentType())) {
            streamed = true;
            return super.writeWith(content);
        }
        return DataBufferUtils.join(Flux.from(content)).flatMap(joined -> {
            byte[] bytes = new byte[joined.readableByteCount()];
            joined.read(bytes);
            DataBufferUtils.release(joined);
            body = bytes;
            return super.writeWith(Mono.just(bufferFactory().wrap(bytes)));
        });
    }

    @Override
    public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> content) {
        streamed = true;
        return super.writeAndFlushWith(content);
    }

    /** The answer as it may be stored: never a stream's body, never a body that carries a secret. */
    CapturedResponse captured() {
        HttpHeaders headers = getHeaders();
        int status = getStatusCode() == null ? 200 : getStatusCode().value();
        MediaType type = headers.getContentType();
        CapturedResponse.Withheld withheld = streamed
                ? CapturedResponse.Withheld.STREAM
                : Secrets.ANY
                                .matcher(new String(body, StandardCharsets.ISO_8859_1))
                                .find()
                        ? CapturedResponse.Withheld.SECRET
                        : null;
        String location = headers.getFirst(HttpHeaders.LOCATION);
        String commandId = headers.getFirst(InternalHeaders.COMMAND_ID);
        if (location == null && streamed && commandId != null) {
            // a streamed run is not replayed, but its command can be read (and followed) at its own URL
            location = requestPath + "/" + commandId;
        }
        return new CapturedResponse(
                status,
                type == null ? null : type.toString(),
                location,
                withheld == null ? body : new byte[0],
                withheld);
    }

    private static boolean isStream(MediaType type) {
        return type != null
                && (MediaType.TEXT_EVENT_STREAM.isCompatibleWith(type)
                        || MediaType.APPLICATION_NDJSON.isCompatibleWith(type));
    }
}
