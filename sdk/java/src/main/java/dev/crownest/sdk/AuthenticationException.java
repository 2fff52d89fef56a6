package dev.crownest.sdk;

/** 401: no key, or a key that is wrong, revoked or expired. */
public class AuthenticationException extends CrowNestException {

    public AuthenticationException(Details details) {
        super(details);
    }
}
