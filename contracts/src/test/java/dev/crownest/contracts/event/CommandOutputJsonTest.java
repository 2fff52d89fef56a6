package dev.crownest.contracts.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The bytes of an output chunk travel as a base64 string, as they always did, whatever the Java type. */
class CommandOutputJsonTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void dataIsABase64StringOnTheWireAndReadsBackAsTheSameBytes() throws Exception {
        byte[] bytes = {'h', 'i', 0, (byte) 0xff};
        CommandOutput chunk = new CommandOutput("cmd_1", "sbx_1", "t", 3, CommandOutput.STDOUT, bytes, null, null);

        JsonNode written = json.readTree(json.writeValueAsBytes(chunk));
        assertThat(written.path("data").asText()).isEqualTo("aGkA/w==");

        CommandOutput read = json.readValue(
                "{\"commandId\":\"cmd_1\",\"seq\":3,\"stream\":\"stdout\",\"data\":\"aGkA/w==\"}"
                        .getBytes(StandardCharsets.UTF_8),
                CommandOutput.class);
        assertThat(read.data()).containsExactly(bytes);
    }
}
