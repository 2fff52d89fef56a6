package dev.crownest.contracts.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** {@code collect} takes bare paths and {path, name} objects alike; a run without it reads as before. */
class RunCommandRequestJsonTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void collectTakesPathStringsAndObjects() throws Exception {
        RunCommandRequest request = json.readValue("""
                {"cmd":"make","collect":["out/a.txt",{"path":"b.bin","name":"bee"},{"path":"c"}]}""", RunCommandRequest.class);

        assertThat(request.collect())
                .containsExactly(
                        new CollectFile("out/a.txt", null),
                        new CollectFile("b.bin", "bee"),
                        new CollectFile("c", null));
        // and the gateway's re-serialized body reads the same at sandbox-service
        assertThat(json.readValue(json.writeValueAsString(request), RunCommandRequest.class))
                .isEqualTo(request);
    }

    @Test
    void aRunWithoutCollectHasNone() throws Exception {
        assertThat(json.readValue("{\"cmd\":\"true\"}", RunCommandRequest.class).collect())
                .isNull();
    }
}
