package dev.crownest.gateway.idempotency;

/**
 * What the first request answered. The body is withheld (empty) when it cannot or must not be kept:
 * a streamed answer (server-sent events), or one carrying a secret that is shown once.
 */
record CapturedResponse(int status, String contentType, String location, byte[] body, Withheld withheld) {

    /** Why the body of an answer is not kept; null when it is. */
    enum Withheld {
        STREAM,
        SECRET
    }
}
