package dev.crownest.gateway.upstream;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;

/**
 * A service's answer, buffered: status, content type (may be null) and body bytes (may be empty).
 */
public record UpstreamAnswer(HttpStatusCode status, MediaType contentType, byte[] body) {

    public boolean isError() {
        return status.isError();
    }
}
