package dev.crownest.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerSentEventsTest {

    private static List<ServerSentEvents.Event> parse(String text, int stopAfter) throws IOException {
        List<ServerSentEvents.Event> events = new ArrayList<>();
        ServerSentEvents.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), e -> {
            events.add(e);
            return events.size() < stopAfter;
        });
        return events;
    }

    @Test
    void fieldsMultiLineDataCommentsAndLineEnds() throws IOException {
        List<ServerSentEvents.Event> events = parse(
                ": hello\nid:1\nevent:stdout\ndata:{\"data\":\"a\"}\n\r\nid: 2\r\nevent: stderr\r\ndata: x\r\ndata: y\r\n\r\n"
                        + "event:exit\ndata:{}\n\n",
                10);
        assertThat(events)
                .containsExactly(
                        new ServerSentEvents.Event("stdout", "{\"data\":\"a\"}", "1"),
                        new ServerSentEvents.Event("stderr", "x\ny", "2"),
                        new ServerSentEvents.Event("exit", "{}", null));
    }

    @Test
    void readingStopsWhenTheCallbackSaysSo() throws IOException {
        assertThat(parse("data:1\n\ndata:2\n\n", 1)).hasSize(1);
    }
}
