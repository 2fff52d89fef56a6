package dev.crownest.sdk;

/** A command's output stream broke off: an SSE {@code error} event, or the stream could not be followed again. */
public class StreamException extends CrowNestException {

    /** An error that says what {@code details} say. */
    public StreamException(Details details) {
        super(details);
    }
}
