package dev.crownest.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Idempotency-Key through the public API against the real stack: retries never make a second sandbox. */
class IdempotencyTest {

    private static PlatformClient api;

    @BeforeAll
    static void connect() {
        api = SystemUnderTest.client();
    }

    @Test
    void retriedAndSimultaneousCreatesMakeOneSandboxAndAnotherBodyIs422() throws Exception {
        String tag = UUID.randomUUID().toString();
        Map<String, Object> body = Map.of("template", "base", "ttlMs", 120_000, "metadata", Map.of("idem", tag));
        String key = "create-" + tag;
        List<CompletableFuture<PlatformClient.Answer>> calls = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            calls.add(CompletableFuture.supplyAsync(() -> api.postIdempotent("/v1/sandboxes", body, key)));
        }
        List<PlatformClient.Answer> answers =
                calls.stream().map(CompletableFuture::join).toList();
        String id = answers.get(0).text("id");
        for (PlatformClient.Answer answer : answers) {
            assertThat(answer.status()).as(answer.raw()).isEqualTo(201);
            assertThat(answer.text("id")).isEqualTo(id);
        }
        assertThat(answers.stream().filter(PlatformClient.Answer::replayed).count())
                .as("all but one replayed")
                .isEqualTo(2);

        PlatformClient.Answer retried = api.postIdempotent("/v1/sandboxes", body, key);
        assertThat(retried.replayed()).isTrue();
        assertThat(retried.raw()).isEqualTo(answers.get(0).raw());

        PlatformClient.Answer other =
                api.postIdempotent("/v1/sandboxes", Map.of("template", "base", "metadata", Map.of("idem", tag)), key);
        assertThat(other.status()).as(other.raw()).isEqualTo(422);
        assertThat(other.body().path("error").path("code").asText()).isEqualTo("idempotency_key_reused");

        long withTag = StreamSupport.stream(
                        api.get("/v1/sandboxes?limit=100").body().path("data").spliterator(), false)
                .filter(s -> tag.equals(s.path("metadata").path("idem").asText()))
                .count();
        assertThat(withTag).as("one sandbox for four creates with one key").isEqualTo(1);

        // a command retried with its key runs once and answers the same
        PlatformClient.Answer ran = api.postIdempotent(
                "/v1/sandboxes/" + id + "/commands",
                Map.of("cmd", "echo once >> /workspace/log; cat /workspace/log"),
                "run-" + tag);
        PlatformClient.Answer again = api.postIdempotent(
                "/v1/sandboxes/" + id + "/commands",
                Map.of("cmd", "echo once >> /workspace/log; cat /workspace/log"),
                "run-" + tag);
        assertThat(ran.text("stdout")).isEqualTo("once\n");
        assertThat(again.raw()).isEqualTo(ran.raw());
        assertThat(api.run(id, "cat /workspace/log").text("stdout"))
                .as("the command ran once")
                .isEqualTo("once\n");
        api.delete("/v1/sandboxes/" + id);
    }
}
