package dev.crownest.sdk;

/** 410: the resource existed and is gone for good. */
public class GoneException extends CrowNestException {

    /** An error that says what {@code details} say. */
    public GoneException(Details details) {
        super(details);
    }
}
