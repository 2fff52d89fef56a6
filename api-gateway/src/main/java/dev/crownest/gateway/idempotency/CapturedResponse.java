package dev.crownest.gateway.idempotency;

/** What the first request answered; {@code streamed} answers (SSE) are recorded without their body. */
record CapturedResponse(int status, String contentType, String location, byte[] body, boolean streamed) {
}
