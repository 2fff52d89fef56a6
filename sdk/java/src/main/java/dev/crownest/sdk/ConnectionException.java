package dev.crownest.sdk;

/** No answer came: the connection was refused, reset or timed out (status 0, code {@code connection_failed}). */
public class ConnectionException extends CrowNestException {

    /** An error that says what {@code details} say. */
    public ConnectionException(Details details) {
        super(details);
    }
}
