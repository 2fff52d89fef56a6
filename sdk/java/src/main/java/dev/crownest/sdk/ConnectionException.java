package dev.crownest.sdk;

/** No answer came: the connection was refused, reset or timed out (status 0, code {@code connection_failed}). */
public class ConnectionException extends CrowNestException {

    public ConnectionException(Details details) {
        super(details);
    }
}
