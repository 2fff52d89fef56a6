package dev.crownest.sdk;

/** 503: no capacity or a service is down for a moment; retried by the client after {@code Retry-After}. */
public class UnavailableException extends CrowNestException {

    /** An error that says what {@code details} say. */
    public UnavailableException(Details details) {
        super(details);
    }
}
