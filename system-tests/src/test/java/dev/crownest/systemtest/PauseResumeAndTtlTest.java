package dev.crownest.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crownest.sdk.CrowNest;
import dev.crownest.sdk.RawResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pause and resume (runsc checkpoint/restore on the node) and the TTL, end to end through the public
 * API against the whole stack with real gVisor sandboxes.
 */
class PauseResumeAndTtlTest {
    private static CrowNest api;

    @BeforeAll
    static void connect() {
        api = SystemUnderTest.client();
    }

    @Test
    void aPausedSandboxKeepsItsProcessesAndFilesAndIsNotMeteredWhilePaused() throws Exception {
        RawResponse created = api.http().send("POST", "/v1/sandboxes", Map.of("template", "base"));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String id = created.field("id");
        assertThat(api.sandboxes()
                        .get(id)
                        .commands()
                        .run(
                                "echo kept > /workspace/file && echo memory > /tmp/mem && "
                                        + "(setsid sh -c 'while true; do date +%s >> /workspace/ticks; sleep 0.2; done' </dev/null >/dev/null 2>&1 &)")
                        .exitCode())
                .isZero();
        // It is metered while it runs.
        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(api.http()
                                .send("GET", "/v1/usage?sandboxId=" + id)
                                .json()
                                .path("totals")
                                .path("computeUnitSeconds")
                                .asDouble())
                        .isGreaterThan(0));

        try (TopicTail samples = TopicTail.fromNow(SystemUnderTest.kafka(), "usage-samples")) {
            RawResponse paused = api.http().send("POST", "/v1/sandboxes/" + id + "/pause", Map.of());
            assertThat(paused.status()).as(paused.text()).isEqualTo(200);
            assertThat(paused.field("status")).isEqualTo("paused");
            long pausedAt = Instant.now().getEpochSecond();
            assertThat(api.http()
                            .send("POST", "/v1/sandboxes/" + id + "/pause", Map.of())
                            .status())
                    .as("idempotent")
                    .isEqualTo(200);
            assertThat(api.sandboxes().get(id).status()).isEqualTo("paused");
            assertThat(SystemUnderTest.runningOnNode()).doesNotContain(id);
            RawResponse refused = api.http().send("POST", "/v1/sandboxes/" + id + "/commands", Map.of("cmd", "true"));
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.json().path("error").path("code").asText()).isEqualTo("sandbox_paused");

            Thread.sleep(3000);
            long resumedAt = Instant.now().getEpochSecond();
            RawResponse resumed = api.http().send("POST", "/v1/sandboxes/" + id + "/resume", Map.of());
            assertThat(resumed.status()).as(resumed.text()).isEqualTo(200);
            assertThat(resumed.field("status")).isEqualTo("running");
            assertThat(SystemUnderTest.runningOnNode()).contains(id);

            assertThat(api.sandboxes()
                            .get(id)
                            .commands()
                            .run("cat /workspace/file /tmp/mem")
                            .stdout())
                    .isEqualTo("kept\nmemory\n");
            // The loop started before the pause runs on after the resume.
            int before = Integer.parseInt(api.sandboxes()
                    .get(id)
                    .commands()
                    .run("wc -l < /workspace/ticks")
                    .stdout()
                    .trim());
            Thread.sleep(1500);
            int after = Integer.parseInt(api.sandboxes()
                    .get(id)
                    .commands()
                    .run("wc -l < /workspace/ticks")
                    .stdout()
                    .trim());
            assertThat(after).isGreaterThan(before + 2);

            // No usage sample of this sandbox for a second it spent paused; samples again after the resume.
            List<Long> seconds = new ArrayList<>();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                samples.poll(Duration.ofMillis(500)).stream()
                        .filter(r -> id.equals(r.event().path("sandboxId").asText()))
                        .forEach(r -> seconds.add(r.event().path("second").asLong()));
                assertThat(seconds).anyMatch(s -> s >= resumedAt);
            });
            assertThat(seconds).as("seconds sampled while paused").noneMatch(s -> s > pausedAt && s < resumedAt);
        }

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Set<String> actions = new TreeSet<>();
            api.http()
                    .send("GET", "/v1/audit/events?resourceId=" + id)
                    .json()
                    .path("data")
                    .forEach(e -> actions.add(e.path("action").asText()));
            assertThat(actions).contains("sandbox.paused", "sandbox.resumed");
        });
        assertThat(api.sandboxes().kill(id).status()).isEqualTo("killed");
        assertThat(api.http()
                        .send("POST", "/v1/sandboxes/" + id + "/resume", Map.of())
                        .status())
                .isEqualTo(409);
    }

    @Test
    void aSandboxEndsExpiredWithinASecondOfItsDeadline() throws Exception {
        RawResponse created = api.http().send("POST", "/v1/sandboxes", Map.of("template", "base", "ttlMs", 3000));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String id = created.field("id");
        Instant deadline = Instant.parse(created.field("expiresAt"));
        assertThat(SystemUnderTest.runningOnNode()).contains(id);
        Instant gone = awaitExpiredAndGone(id, deadline);
        assertThat(Duration.between(deadline, gone))
                .as("expired and its gVisor sandbox gone after the deadline")
                .isLessThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void theTtlCanBeExtendedWithinTheMaximumLifetime() throws Exception {
        RawResponse created = api.http().send("POST", "/v1/sandboxes", Map.of("template", "base", "ttlMs", 3000));
        String id = created.field("id");
        Instant firstDeadline = Instant.parse(created.field("expiresAt"));

        RawResponse tooLong = api.http().send("POST", "/v1/sandboxes/" + id + "/ttl", Map.of("ttlMs", 25 * 3600_000L));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.json().path("error").path("code").asText()).isEqualTo("max_lifetime_exceeded");

        RawResponse extended = api.http().send("POST", "/v1/sandboxes/" + id + "/ttl", Map.of("ttlMs", 6000));
        assertThat(extended.status()).as(extended.text()).isEqualTo(200);
        Instant newDeadline = Instant.parse(extended.field("expiresAt"));
        assertThat(newDeadline).isAfter(firstDeadline.plusSeconds(2));
        assertThat(api.http().send("GET", "/v1/sandboxes/" + id).field("expiresAt"))
                .isEqualTo(extended.field("expiresAt"));

        // Past the first deadline it still runs, on the node too.
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), firstDeadline).toMillis()) + 1500);
        assertThat(api.sandboxes().get(id).status()).isEqualTo("running");
        assertThat(api.sandboxes().get(id).commands().run("true").exitCode()).isZero();

        Instant gone = awaitExpiredAndGone(id, newDeadline);
        assertThat(Duration.between(newDeadline, gone)).isLessThanOrEqualTo(Duration.ofSeconds(1));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode audit = api.http()
                    .send("GET", "/v1/audit/events?resourceId=" + id)
                    .json()
                    .path("data");
            Set<String> actions = new TreeSet<>();
            audit.forEach(e -> actions.add(e.path("action").asText()));
            assertThat(actions).contains("sandbox.ttl_extended", "sandbox.expired");
        });
    }

    /** Polls until the API says expired and the node's gVisor sandbox is gone; answers when both held. */
    private static Instant awaitExpiredAndGone(String id, Instant deadline) throws InterruptedException {
        Instant limit = deadline.plusSeconds(5);
        while (Instant.now().isBefore(limit)) {
            if ("expired".equals(api.sandboxes().get(id).status())
                    && !SystemUnderTest.runningOnNode().contains(id)) {
                return Instant.now();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("sandbox " + id + " not expired and gone 5 s after its deadline " + deadline
                + "; status " + api.sandboxes().get(id).status());
    }
}
