package dev.crownest.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One server-sent event read by {@link RawStream#events}: its name ({@code message} when it had none),
 * its data and its id (null when it had none).
 */
public record RawEvent(String event, String data, String id) {

    /** The data as JSON (the API's events carry JSON). */
    public JsonNode json() {
        try {
            return Transport.JSON.readTree(data);
        } catch (IOException e) {
            throw new UncheckedIOException("event " + event + " is not JSON: " + data, e);
        }
    }
}
