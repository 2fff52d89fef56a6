package dev.crownest.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crownest.sdk.ConnectionException;
import dev.crownest.sdk.CreateSandboxOptions;
import dev.crownest.sdk.CrowNest;
import dev.crownest.sdk.RawEvent;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Reattach ({@code GET /v1/sandboxes/{id}/commands/{cid}/stream}) on a real stack: one follower from the
 * start through a gateway restart (resuming with Last-Event-ID), a second one that comes after two minutes
 * and gets everything from the first byte, a third that resumes from an event id after the exit. Each
 * gets every byte once, and the exit.
 */
class CommandReattachTest {
    private static final int LINES = 26;
    /** Event ids ({@code <stdout bytes>.<stderr bytes>}) in the order of the bytes they name. */
    private static final Comparator<String> BY_OFFSETS = Comparator.<String>comparingLong(
                    id -> Long.parseLong(id.substring(0, id.indexOf('.'))))
            .thenComparingLong(id -> Long.parseLong(id.substring(id.indexOf('.') + 1)));

    private static final String EXPECTED =
            IntStream.rangeClosed(1, LINES).mapToObj(i -> "line " + i + "\n").collect(Collectors.joining());

    /** What one follower saw: the text of each stream, the last event id, the exit's data. */
    static final class Follower {
        final StringBuilder stdout = new StringBuilder();
        final StringBuilder stderr = new StringBuilder();
        final List<String> ids = new ArrayList<>();
        String lastEventId;
        JsonNode exit;
        int reattachments;

        void accept(RawEvent event) {
            switch (event.event()) {
                case "stdout" -> stdout.append(event.json().path("data").asText());
                case "stderr" -> stderr.append(event.json().path("data").asText());
                case "exit" -> exit = event.json();
                // the gateway lost the node's output under it (here: the gateway stopping): reattach
                case "error" -> {
                    assertThat(event.json().path("error").path("code").asText()).isEqualTo("output_interrupted");
                    throw new Interrupted();
                }
                default -> throw new AssertionError("unexpected event " + event);
            }
            if (event.id() != null) {
                ids.add(event.id());
                lastEventId = event.id();
            }
        }

        /** Follows until the exit, reattaching from the last event id whenever the stream breaks. */
        Follower follow(CrowNest api, String sandboxId, String commandId, long deadlineNanos) {
            while (exit == null && System.nanoTime() < deadlineNanos) {
                try {
                    int status = CommandEvents.follow(api, sandboxId, commandId, lastEventId, this::accept);
                    assertThat(status).as("reattach answer").isIn(200, 502, 503);
                } catch (UncheckedIOException | IllegalStateException | ConnectionException | Interrupted broken) {
                    // the gateway went away under the stream: reattach below
                }
                if (exit == null) {
                    reattachments++;
                    sleep(500);
                }
            }
            return this;
        }
    }

    /** An error event that asks the follower to reattach. */
    static final class Interrupted extends RuntimeException {}

    @Test
    void everyFollowerGetsEveryByteOnceAcrossAGatewayRestartAndAfterTwoMinutes() throws Exception {
        CrowNest api = SystemUnderTest.client();
        String sandboxId = api.sandboxes()
                .create(new CreateSandboxOptions().template("base").ttl(Duration.ofMillis(600_000)))
                .id();
        long began = System.nanoTime();
        try {
            var started = api.http()
                    .send(
                            "POST",
                            "/v1/sandboxes/" + sandboxId + "/commands?wait=false",
                            Map.of(
                                    "cmd",
                                    "for i in $(seq 1 " + LINES
                                            + "); do echo \"line $i\"; sleep 5; done; echo bye >&2; exit 7",
                                    "timeoutMs",
                                    300_000));
            assertThat(started.status()).as(started.text()).isEqualTo(202);
            String commandId = started.field("id");
            long deadline = began + TimeUnit.MINUTES.toNanos(4);

            CompletableFuture<Follower> first =
                    CompletableFuture.supplyAsync(() -> new Follower().follow(api, sandboxId, commandId, deadline));
            sleep(30_000);
            assertThat(SystemUnderTest.crownest("restart", "api-gateway")).isZero();
            System.out.printf("reattach test: gateway restarted %.1f s in%n", (System.nanoTime() - began) / 1e9);

            // Past two minutes: a new follower gets all of it from the first byte, then the rest live.
            sleep(Math.max(0, Duration.ofSeconds(122).toMillis() - (System.nanoTime() - began) / 1_000_000));
            Follower late = new Follower().follow(api, sandboxId, commandId, deadline);
            Follower early = first.get(4, TimeUnit.MINUTES);
            System.out.printf(
                    "reattach test: first follower reattached %d times; late one came %.0f s in; done %.1f s in%n",
                    early.reattachments, 122.0, (System.nanoTime() - began) / 1e9);

            for (Follower follower : List.of(early, late)) {
                assertThat(follower.stdout.toString()).isEqualTo(EXPECTED);
                assertThat(follower.stderr.toString()).isEqualTo("bye\n");
                assertThat(follower.exit.path("exitCode").asInt()).isEqualTo(7);
                assertThat(follower.ids)
                        .as("ids name bytes delivered, never back")
                        .isSortedAccordingTo(BY_OFFSETS);
            }
            assertThat(early.reattachments)
                    .as("the restart broke the first stream")
                    .isPositive();
            assertThat(early.lastEventId).isEqualTo(EXPECTED.length() + ".4");

            // After the exit, from an id in the middle: the rest, once.
            Follower resumed = new Follower();
            resumed.lastEventId = "14.0";
            resumed.follow(api, sandboxId, commandId, System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
            assertThat(resumed.stdout.toString()).isEqualTo(EXPECTED.substring(14));
            assertThat(resumed.exit.path("exitCode").asInt()).isEqualTo(7);

            var badId = api.http()
                    .send(
                            "GET",
                            "/v1/sandboxes/" + sandboxId + "/commands/" + commandId + "/stream?lastEventId=7",
                            null);
            assertThat(badId.status()).isEqualTo(400);
            assertThat(badId.json().path("error").path("code").asText()).isEqualTo("invalid_last_event_id");
            var unknown = api.http().send("GET", "/v1/sandboxes/" + sandboxId + "/commands/cmd_nope/stream");
            assertThat(unknown.status()).isEqualTo(404);
        } finally {
            api.http().send("DELETE", "/v1/sandboxes/" + sandboxId);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
