package dev.crownest.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.crownest.sdk.CommandHandle;
import dev.crownest.sdk.CommandRecord;
import dev.crownest.sdk.ConflictException;
import dev.crownest.sdk.CreateSandboxOptions;
import dev.crownest.sdk.NotFoundException;
import dev.crownest.sdk.RawStream;
import dev.crownest.sdk.RunOptions;
import dev.crownest.sdk.Sandbox;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cancel through the public API with a real gVisor sandbox: the whole process group dies, the record says so.
 * Through the Java SDK, which answers the API's records and throws its errors as they are.
 */
class CommandCancelTest {

    private static Sandbox sandbox;

    @BeforeAll
    static void sandbox() {
        sandbox = SystemUnderTest.client().sandboxes().create(new CreateSandboxOptions().template("base"));
        assertThat(sandbox.status()).isEqualTo("running");
    }

    @AfterAll
    static void kill() {
        sandbox.kill();
    }

    @Test
    void cancellingARunningCommandKillsItsProcessGroupAndRecordsIt() {
        CommandHandle started = sandbox.commands()
                .runBackground("sleep 300 & sleep 301; echo never", new RunOptions().timeout(Duration.ofMinutes(10)));
        assertThat(started.record().status()).isEqualTo("running");
        // the processes exist before the cancel
        waitUntil(() -> processes().contains("sleep 301"));

        long t0 = System.nanoTime();
        CommandRecord cancelled = started.kill();
        long tookMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(cancelled.status()).isEqualTo("finished");
        assertThat(cancelled.cancelled()).isTrue();
        assertThat(cancelled.timedOut()).isFalse();
        assertThat(cancelled.exitCode()).isNotZero();
        assertThat(cancelled.stdout()).doesNotContain("never");
        assertThat(tookMs).as("cancel answered within 5 s").isLessThan(5_000);
        // the background child of the shell went with it
        assertThat(processes()).doesNotContain("sleep 300").doesNotContain("sleep 301");

        ConflictException again = catchThrowableOfType(ConflictException.class, started::kill);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("command_not_running");
        NotFoundException unknown = catchThrowableOfType(
                NotFoundException.class, () -> sandbox.commands().cancel("cmd_nosuchcommand"));
        assertThat(unknown.status()).isEqualTo(404);
    }

    /**
     * A streamed run goes to the node directly (the data plane): sandbox-service learns of it only from the
     * node's start fact, about a second later. A cancel sent at once must still kill it, not answer 404.
     */
    @Test
    void aStreamedRunCancelledAtOnceIsKilledAndRecordedCancelled() throws Exception {
        try (RawStream stream = SystemUnderTest.client()
                .http()
                .open(
                        "POST",
                        "/v1/sandboxes/" + sandbox.id() + "/commands",
                        Map.of("cmd", "sleep 120; echo never"),
                        Map.of("accept", "text/event-stream"))) {
            assertThat(stream.status()).isEqualTo(200);
            String commandId = stream.header("X-CrowNest-Command-Id");
            assertThat(commandId).startsWith("cmd_");

            long t0 = System.nanoTime();
            CommandRecord cancelled = sandbox.commands().cancel(commandId);
            long tookMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(cancelled.id()).isEqualTo(commandId);
            assertThat(tookMs).as("cancel answered within 5 s").isLessThan(5_000);
            // the stream ends with the exit, long before the command would have
            String events = new String(stream.body().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(events).containsPattern("event: ?exit").doesNotContain("never");
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(30_000);
            waitUntil(() -> {
                CommandRecord record = sandbox.commands().get(commandId);
                return "finished".equals(record.status()) && record.cancelled();
            });
        }
    }

    private static String processes() {
        return sandbox.commands().run("ps -eo args").stdout();
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
