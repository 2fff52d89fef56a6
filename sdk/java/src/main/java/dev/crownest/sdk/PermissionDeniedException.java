package dev.crownest.sdk;

/** 403: the key lacks the scope, or the resource is in another project. */
public class PermissionDeniedException extends CrowNestException {

    /** An error that says what {@code details} say. */
    public PermissionDeniedException(Details details) {
        super(details);
    }
}
