package dev.crownest.gateway.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.http.codec.ServerSentEvent;

/** Output events written by hand read back, as JSON, as the text they carry. */
class ServerSentEventBytesTest {

    private final ObjectMapper json = new ObjectMapper();
    private final ServerSentEventBytes sse = new ServerSentEventBytes(json);

    @Test
    void outputTextReadsBackWhateverCharactersItHolds() throws Exception {
        String text = "plain \"quoted\" back\\slash\nline\r\ttab \u0000\u0001\u001f\u007f é € 😀 end";
        String written = written(ServerSentEvent.builder(new CommandEventStream.Output(text))
                .event("stdout")
                .id("7")
                .build());

        assertThat(written).startsWith("id:7\nevent:stdout\ndata:").endsWith("\n\n");
        String data = written.substring(written.indexOf("data:") + 5, written.length() - 2);
        assertThat(data).doesNotContain("\n");
        assertThat(json.readTree(data).path("data").asText()).isEqualTo(text);
    }

    @Test
    void everyCharacterToEscapeIsFoundWhereverItSitsInALongRun() throws Exception {
        for (String special : new String[] {"\"", "\\", "\n", "\u0000", "\u001f", "é", "😀"}) {
            for (int at = 0; at < 20; at++) {
                String text = "x".repeat(at) + special + "y".repeat(19 - at) + " ~\u007f!";
                String written = written(ServerSentEvent.builder(new CommandEventStream.Output(text))
                        .event("stdout")
                        .build());
                String data = written.substring(written.indexOf("data:") + 5, written.length() - 2);
                assertThat(json.readTree(data).path("data").asText())
                        .as("%s at %d", special, at)
                        .isEqualTo(text);
            }
        }
    }

    @Test
    void otherEventsAreTheirJson() throws Exception {
        String written = written(ServerSentEvent.builder(new CommandEventStream.Exit("cmd_1", 3, true))
                .event("exit")
                .id("9")
                .build());

        assertThat(written)
                .isEqualTo("id:9\nevent:exit\ndata:"
                        + json.writeValueAsString(new CommandEventStream.Exit("cmd_1", 3, true)) + "\n\n");
    }

    private String written(ServerSentEvent<?> event) {
        ByteBuffer bytes = sse.render(event);
        return StandardCharsets.UTF_8.decode(bytes).toString();
    }
}
