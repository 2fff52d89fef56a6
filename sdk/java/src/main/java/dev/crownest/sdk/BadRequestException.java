package dev.crownest.sdk;

/** 400 or 422: the request is malformed or names something that does not exist (a template, a field). */
public class BadRequestException extends CrowNestException {

    /** An error that says what {@code details} say. */
    public BadRequestException(Details details) {
        super(details);
    }
}
