package dev.crownest.sdk;

/** 404: no such sandbox, command, file, ... for this key. */
public class NotFoundException extends CrowNestException {

    /** An error that says what {@code details} say. */
    public NotFoundException(Details details) {
        super(details);
    }
}
