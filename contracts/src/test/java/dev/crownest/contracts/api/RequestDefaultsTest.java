package dev.crownest.contracts.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The documented defaults of the request bodies, and that they stay out of the JSON. */
class RequestDefaultsTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aRunWithoutTimeoutOrCwdTakesTheDefaults() throws Exception {
        RunCommandRequest run = json.readValue("{\"cmd\":\"true\",\"cwd\":\" \"}", RunCommandRequest.class);

        assertThat(run.timeoutMsOrDefault()).isEqualTo(60_000);
        assertThat(run.cwdOrDefault()).isEqualTo("/workspace");
    }

    @Test
    void aGivenTimeoutIsKeptEvenBelowOneForSandboxServiceToRefuse() throws Exception {
        assertThat(json.readValue("{\"cmd\":\"true\",\"timeoutMs\":0}", RunCommandRequest.class)
                        .timeoutMsOrDefault())
                .isZero();
        assertThat(json.readValue("{\"cmd\":\"true\",\"timeoutMs\":-5,\"cwd\":\"/tmp\"}", RunCommandRequest.class))
                .returns(-5L, RunCommandRequest::timeoutMsOrDefault)
                .returns("/tmp", RunCommandRequest::cwdOrDefault);
    }

    @Test
    void anEmptyCreateTakesTheDocumentedShape() throws Exception {
        CreateSandboxRequest create = json.readValue("{}", CreateSandboxRequest.class);

        assertThat(create.templateOrDefault()).isEqualTo("base");
        assertThat(create.ttlMsOrDefault()).isEqualTo(300_000);
        assertThat(create.cpuOrDefault()).isEqualTo(1);
        assertThat(create.memoryMbOrDefault()).isEqualTo(512);
        assertThat(create.diskMbOrDefault()).isEqualTo(1024);
    }

    @Test
    void theDefaultsAreNotWrittenIntoTheJson() throws Exception {
        assertThat(json.writeValueAsString(json.readValue("{}", CreateSandboxRequest.class)))
                .doesNotContain("OrDefault");
        assertThat(json.writeValueAsString(new RunCommandRequest("true", null, null, null, null, null)))
                .doesNotContain("OrDefault");
    }
}
