package dev.crownest.sdk;

/** 429: too many requests or a quota reached; retried by the client after {@code Retry-After}. */
public class RateLimitException extends CrowNestException {

    /** An error that says what {@code details} say. */
    public RateLimitException(Details details) {
        super(details);
    }
}
