package dev.crownest.sdk;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Reads a {@code text/event-stream} body into events as they arrive: the WHATWG rules that matter here
 * (fields id/event/data, multi-line data, comments, CR, LF or CRLF line ends).
 */
final class ServerSentEvents {

    /** One event; {@code id} is null when the event carried none. */
    record Event(String event, String data, String id) {}

    private ServerSentEvents() {}

    /**
     * Hands each event to {@code onEvent} until it answers false (then true is answered) or the body ends
     * (false). The body is closed either way.
     */
    static boolean read(InputStream body, Predicate<Event> onEvent) throws IOException {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String event = "message";
            String id = null;
            List<String> data = new ArrayList<>();
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.isEmpty()) {
                    if (!data.isEmpty() || !event.equals("message")) {
                        if (!onEvent.test(new Event(event, String.join("\n", data), id))) {
                            return true;
                        }
                    }
                    event = "message";
                    id = null;
                    data.clear();
                    continue;
                }
                if (line.startsWith(":")) {
                    continue;
                }
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                switch (field) {
                    case "data" -> data.add(value);
                    case "event" -> event = value;
                    case "id" -> id = value;
                    default -> {
                        // retry and unknown fields: nothing to do for a client that reconnects itself
                    }
                }
            }
            return false;
        }
    }
}
