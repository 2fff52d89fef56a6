package dev.crownest.sdk;

/** 409: the resource is in another state (e.g. {@code sandbox_not_running}) or the Idempotency-Key was used for another request. */
public class ConflictException extends CrowNestException {

    /** An error that says what {@code details} say. */
    public ConflictException(Details details) {
        super(details);
    }
}
