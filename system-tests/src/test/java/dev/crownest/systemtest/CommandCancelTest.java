package dev.crownest.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Cancel through the public API with a real gVisor sandbox: the whole process group dies, the record says so. */
class CommandCancelTest {

    private static PlatformClient api;
    private static String sandbox;

    @BeforeAll
    static void sandbox() {
        api = SystemUnderTest.client();
        PlatformClient.Answer created = api.createSandbox("base");
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        sandbox = created.text("id");
    }

    @AfterAll
    static void kill() {
        api.delete("/v1/sandboxes/" + sandbox);
    }

    @Test
    void cancellingARunningCommandKillsItsProcessGroupAndRecordsIt() {
        PlatformClient.Answer started = api.post(
                "/v1/sandboxes/" + sandbox + "/commands?wait=false",
                Map.of("cmd", "sleep 300 & sleep 301; echo never", "timeoutMs", 600_000));
        assertThat(started.status()).as(started.raw()).isEqualTo(202);
        assertThat(started.text("status")).isEqualTo("running");
        String command = started.text("id");
        // the processes exist before the cancel
        waitUntil(() -> api.run(sandbox, "ps -eo args").text("stdout").contains("sleep 301"));

        long t0 = System.nanoTime();
        PlatformClient.Answer cancelled =
                api.post("/v1/sandboxes/" + sandbox + "/commands/" + command + "/cancel", Map.of());
        long tookMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(cancelled.status()).as(cancelled.raw()).isEqualTo(200);
        assertThat(cancelled.text("status")).isEqualTo("finished");
        assertThat(cancelled.body().path("cancelled").asBoolean()).isTrue();
        assertThat(cancelled.body().path("timedOut").asBoolean()).isFalse();
        assertThat(cancelled.body().path("exitCode").asInt()).isNotZero();
        assertThat(cancelled.text("stdout")).doesNotContain("never");
        assertThat(tookMs).as("cancel answered within 5 s").isLessThan(5_000);
        // the background child of the shell went with it
        String processes = api.run(sandbox, "ps -eo args").text("stdout");
        assertThat(processes).doesNotContain("sleep 300").doesNotContain("sleep 301");

        PlatformClient.Answer again =
                api.post("/v1/sandboxes/" + sandbox + "/commands/" + command + "/cancel", Map.of());
        assertThat(again.status()).as(again.raw()).isEqualTo(409);
        assertThat(again.body().path("error").path("code").asText()).isEqualTo("command_not_running");
        PlatformClient.Answer unknown =
                api.post("/v1/sandboxes/" + sandbox + "/commands/cmd_nosuchcommand/cancel", Map.of());
        assertThat(unknown.status()).isEqualTo(404);
    }

    private static void waitUntil(BooleanSupplier condition) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
