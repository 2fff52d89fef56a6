package dev.crownest.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crownest.sdk.CrowNest;
import dev.crownest.sdk.RawResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Idempotency-Key through the public API against the real stack: retries never make a second sandbox. */
class IdempotencyTest {

    private static CrowNest api;

    @BeforeAll
    static void connect() {
        api = SystemUnderTest.client();
    }

    @Test
    void retriedAndSimultaneousCreatesMakeOneSandboxAndAnotherBodyIs422() throws Exception {
        String tag = UUID.randomUUID().toString();
        Map<String, Object> body = Map.of("template", "base", "ttlMs", 120_000, "metadata", Map.of("idem", tag));
        String key = "create-" + tag;
        List<CompletableFuture<RawResponse>> calls = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            calls.add(CompletableFuture.supplyAsync(
                    () -> api.http().send("POST", "/v1/sandboxes", body, Map.of("Idempotency-Key", key))));
        }
        List<RawResponse> answers = calls.stream().map(CompletableFuture::join).toList();
        String id = answers.get(0).field("id");
        for (RawResponse answer : answers) {
            assertThat(answer.status()).as(answer.text()).isEqualTo(201);
            assertThat(answer.field("id")).isEqualTo(id);
        }
        assertThat(answers.stream().filter(IdempotencyTest::replayed).count())
                .as("all but one replayed")
                .isEqualTo(2);

        RawResponse retried = api.http().send("POST", "/v1/sandboxes", body, Map.of("Idempotency-Key", key));
        assertThat(replayed(retried)).isTrue();
        assertThat(retried.text()).isEqualTo(answers.get(0).text());

        RawResponse other = api.http()
                .send(
                        "POST",
                        "/v1/sandboxes",
                        Map.of("template", "base", "metadata", Map.of("idem", tag)),
                        Map.of("Idempotency-Key", key));
        assertThat(other.status()).as(other.text()).isEqualTo(422);
        assertThat(other.json().path("error").path("code").asText()).isEqualTo("idempotency_key_reused");

        long withTag = StreamSupport.stream(
                        api.http()
                                .send("GET", "/v1/sandboxes?limit=100")
                                .json()
                                .path("data")
                                .spliterator(),
                        false)
                .filter(s -> tag.equals(s.path("metadata").path("idem").asText()))
                .count();
        assertThat(withTag).as("one sandbox for four creates with one key").isEqualTo(1);

        // a command retried with its key runs once and answers the same
        Supplier<RawResponse> runWithKey = () -> api.http()
                .send(
                        "POST",
                        "/v1/sandboxes/" + id + "/commands",
                        Map.of("cmd", "echo once >> /workspace/log; cat /workspace/log"),
                        Map.of("Idempotency-Key", "run-" + tag));
        RawResponse ran = runWithKey.get();
        RawResponse again = runWithKey.get();
        assertThat(ran.field("stdout")).isEqualTo("once\n");
        assertThat(again.text()).isEqualTo(ran.text());
        assertThat(api.sandboxes().get(id).commands().run("cat /workspace/log").stdout())
                .as("the command ran once")
                .isEqualTo("once\n");
        api.http().send("DELETE", "/v1/sandboxes/" + id);
    }

    /** Whether the gateway answered from its record of the key rather than doing the work again. */
    private static boolean replayed(RawResponse answer) {
        return "true".equals(answer.header("Idempotent-Replayed"));
    }
}
