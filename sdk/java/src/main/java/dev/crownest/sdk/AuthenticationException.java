package dev.crownest.sdk;

/** 401: no key, or a key that is wrong, revoked or expired. */
public class AuthenticationException extends CrowNestException {

    /** An error that says what {@code details} say. */
    public AuthenticationException(Details details) {
        super(details);
    }
}
