package dev.crownest.sdk;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.util.function.Predicate;

/** An answer of {@link RawHttp#open} whose body is read as it arrives. Close it (or read it to its end). */
public final class RawStream implements AutoCloseable {

    private final HttpResponse<InputStream> res;

    RawStream(HttpResponse<InputStream> res) {
        this.res = res;
    }

    public int status() {
        return res.statusCode();
    }

    public HttpHeaders headers() {
        return res.headers();
    }

    /** The first value of header {@code name} (any case), or null. */
    public String header(String name) {
        return res.headers().firstValue(name).orElse(null);
    }

    /** The body, unread. */
    public InputStream body() {
        return res.body();
    }

    /** The rest of the body read into a {@link RawResponse} (an error answer, say). */
    public RawResponse readAll() {
        try (InputStream in = res.body()) {
            return new RawResponse(res.statusCode(), res.headers(), in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads the body as server-sent events, handing each to {@code onEvent} until it answers false (then
     * true is answered) or the body ends (false). The body is closed either way; a connection that breaks
     * off is an {@link UncheckedIOException}.
     */
    public boolean events(Predicate<RawEvent> onEvent) {
        try {
            return ServerSentEvents.read(res.body(), e -> onEvent.test(new RawEvent(e.event(), e.data(), e.id())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            res.body().close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
