package dev.crownest.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.crownest.contracts.security.Scopes;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Snapshots (each pause one), forks of them, and a paused sandbox's TTL standing still, end to end
 * through the public API with real gVisor sandboxes.
 */
class SnapshotsAndForksTest {
    private static final String COUNTER =
            "(setsid sh -c 'i=0; while true; do i=$((i+1)); echo $i > /workspace/count; sleep 0.1; done'"
                    + " </dev/null >/dev/null 2>&1 &)";

    private static PlatformClient api;

    @BeforeAll
    static void connect() {
        api = SystemUnderTest.client();
    }

    @Test
    void aForkCountsOnFromWhereTheSnapshotWasAndTheSourceResumesAfterIt() throws Exception {
        String source = create(Map.of("template", "base", "metadata", Map.of("team", "ml")));
        assertThat(api.run(source, COUNTER).body().path("exitCode").asInt()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> count(source) >= 10);
        long beforePause = count(source);

        PlatformClient.Answer paused = api.post("/v1/sandboxes/" + source + "/pause", Map.of());
        assertThat(paused.status()).as(paused.raw()).isEqualTo(200);
        String snapshot = paused.text("snapshotId");
        assertThat(snapshot).startsWith("snp_");
        assertThat(api.get("/v1/sandboxes/" + source).text("snapshotId")).isEqualTo(snapshot);
        PlatformClient.Answer view = api.get("/v1/snapshots/" + snapshot);
        assertThat(view.status()).as(view.raw()).isEqualTo(200);
        assertThat(view.text("sandboxId")).isEqualTo(source);
        assertThat(view.text("template")).isEqualTo("base");
        assertThat(view.text("status")).isEqualTo("current");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> api.get("/v1/snapshots/" + snapshot)
                                .body()
                                .path("sizeBytes")
                                .asLong()
                        > 0);
        assertThat(api.get("/v1/snapshots?sandboxId=" + source)
                        .body()
                        .path("data")
                        .get(0)
                        .path("id")
                        .asText())
                .isEqualTo(snapshot);

        // The fork: the snapshot's memory, so the loop counts on from where it was, never from 1.
        PlatformClient.Answer forked = api.post("/v1/sandboxes", Map.of("fromSnapshot", snapshot, "ttlMs", 60_000));
        assertThat(forked.status()).as(forked.raw()).isEqualTo(201);
        String fork = forked.text("id");
        assertThat(forked.text("fromSnapshot")).isEqualTo(snapshot);
        assertThat(forked.text("template")).isEqualTo("base");
        assertThat(forked.body().path("metadata").path("team").asText()).isEqualTo("ml");
        long first = count(fork);
        assertThat(first).as("the fork's count goes on from the source's").isGreaterThanOrEqualTo(beforePause);
        await().atMost(Duration.ofSeconds(10)).until(() -> count(fork) > first + 5);

        // Forked again: the source stays paused at its snapshot.
        PlatformClient.Answer second = api.post("/v1/sandboxes", Map.of("fromSnapshot", snapshot));
        assertThat(second.status()).as(second.raw()).isEqualTo(201);
        assertThat(api.get("/v1/sandboxes/" + source).text("status")).isEqualTo("paused");

        // A running sandbox is at no snapshot; then the source resumes at its own, and counts on.
        assertError(
                api.post("/v1/sandboxes/" + fork + "/resume", Map.of("snapshotId", snapshot)),
                409,
                "snapshot_not_current");
        PlatformClient.Answer resumed = api.post("/v1/sandboxes/" + source + "/resume", Map.of("snapshotId", snapshot));
        assertThat(resumed.status()).as(resumed.raw()).isEqualTo(200);
        long resumedAt = count(source);
        await().atMost(Duration.ofSeconds(10)).until(() -> count(source) > resumedAt + 5);
        // Resumed since: superseded, neither resumable nor forkable.
        assertThat(api.get("/v1/snapshots/" + snapshot).text("status")).isEqualTo("superseded");
        assertError(api.post("/v1/sandboxes", Map.of("fromSnapshot", snapshot)), 409, "snapshot_not_current");

        // Metered and audited as a create.
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(api.get("/v1/usage?sandboxId=" + fork)
                            .body()
                            .path("totals")
                            .path("computeUnitSeconds")
                            .asDouble())
                    .isGreaterThan(0);
            Set<String> actions = new TreeSet<>();
            api.get("/v1/audit/events?resourceId=" + fork)
                    .body()
                    .path("data")
                    .forEach(e -> actions.add(e.path("action").asText()));
            assertThat(actions).contains("sandbox.created", "sandbox.started");
        });
        for (String id : new String[] {fork, second.text("id"), source}) {
            assertThat(api.delete("/v1/sandboxes/" + id).status()).isEqualTo(200);
        }
    }

    @Test
    void aForkTakesOnlyTtlAndMetadataAndADeletedOrAnotherTenantsSnapshotIsRefused() throws Exception {
        String source = create(Map.of("template", "base"));
        String snapshot =
                api.post("/v1/sandboxes/" + source + "/pause", Map.of()).text("snapshotId");

        assertError(
                api.post("/v1/sandboxes", Map.of("fromSnapshot", snapshot, "template", "python")),
                400,
                "fork_field_not_allowed");
        assertError(
                api.post("/v1/sandboxes", Map.of("fromSnapshot", snapshot, "cpu", 2, "network", "open")),
                400,
                "fork_field_not_allowed");
        assertError(api.post("/v1/sandboxes", Map.of("fromSnapshot", "snp_nope")), 404, "snapshot_not_found");

        PlatformClient other = otherTenant();
        assertError(other.post("/v1/sandboxes", Map.of("fromSnapshot", snapshot)), 404, "snapshot_not_found");
        assertError(other.get("/v1/snapshots/" + snapshot), 404, "snapshot_not_found");
        assertError(other.delete("/v1/snapshots/" + snapshot), 404, "snapshot_not_found");
        assertThat(other.get("/v1/snapshots").body().path("data").toString()).doesNotContain(snapshot);

        // Deleting the snapshot the sandbox is paused at ends the sandbox; the snapshot is gone.
        assertThat(api.delete("/v1/snapshots/" + snapshot).status()).isEqualTo(204);
        assertThat(api.get("/v1/sandboxes/" + source).text("status")).isEqualTo("killed");
        assertError(api.get("/v1/snapshots/" + snapshot), 410, "snapshot_gone");
        assertError(api.post("/v1/sandboxes", Map.of("fromSnapshot", snapshot)), 410, "snapshot_gone");
        assertError(api.delete("/v1/snapshots/" + snapshot), 410, "snapshot_gone");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> !SystemUnderTest.runningOnNode().contains(source));
    }

    @Test
    void aPausedSandboxsTtlStandsStillAndRunsOutAfterTheResume() throws Exception {
        PlatformClient.Answer created = api.post("/v1/sandboxes", Map.of("template", "base", "ttlMs", 3000));
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        String id = created.text("id");
        PlatformClient.Answer paused = api.post("/v1/sandboxes/" + id + "/pause", Map.of());
        assertThat(paused.status()).as(paused.raw()).isEqualTo(200);
        long left = Duration.between(Instant.now(), Instant.parse(created.text("expiresAt")))
                .toMillis();
        Thread.sleep(4000); // longer than its whole TTL
        assertThat(api.get("/v1/sandboxes/" + id).text("status")).isEqualTo("paused");

        PlatformClient.Answer resumed = api.post("/v1/sandboxes/" + id + "/resume", Map.of());
        assertThat(resumed.status()).as(resumed.raw()).isEqualTo(200);
        Instant deadline = Instant.parse(resumed.text("expiresAt"));
        assertThat(Duration.between(Instant.now(), deadline).toMillis())
                .as("about the TTL it had left when paused")
                .isBetween(left - 1500, left + 500);
        assertThat(api.run(id, "true").body().path("exitCode").asInt()).isZero();
        await().atMost(Duration.ofMillis(Math.max(0, left) + 3000))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> "expired".equals(api.get("/v1/sandboxes/" + id).text("status")));
        assertThat(Instant.now()).isAfterOrEqualTo(deadline);
    }

    private static String create(Map<String, Object> body) {
        PlatformClient.Answer created = api.post("/v1/sandboxes", body);
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        return created.text("id");
    }

    private static long count(String sandboxId) {
        String out = api.run(sandboxId, "cat /workspace/count").text("stdout").strip();
        return out.matches("\\d+") ? Long.parseLong(out) : 0;
    }

    private static PlatformClient otherTenant() {
        PlatformClient operator = SystemUnderTest.operator();
        PlatformClient.Answer tenant = operator.post(
                "/v1/tenants",
                Map.of("name", "snap-" + UUID.randomUUID().toString().substring(0, 8), "plan", "pro"));
        assertThat(tenant.status()).as(tenant.raw()).isEqualTo(201);
        PlatformClient admin = operator.withSession(tenant.text("adminToken"));
        PlatformClient.Answer key = admin.post("/v1/keys", Map.of("name", "snap", "scopes", Scopes.ALL));
        assertThat(key.status()).as(key.raw()).isEqualTo(201);
        return api.withKey(key.text("key"));
    }

    /**
     * A resume and a fork of the same snapshot sent together: whichever the node takes first, the fork
     * answers 201 or 409 {@code snapshot_not_current} (its source left the snapshot first), never a 5xx,
     * and the resume answers 200. Three rounds, so either order is likely seen.
     */
    @Test
    void aForkRacingAResumeOfItsSourceIsA201OrA409NeverA5xx() throws Exception {
        String source = create(Map.of("template", "base"));
        Set<Integer> forkStatuses = new TreeSet<>();
        for (int round = 0; round < 3; round++) {
            PlatformClient.Answer paused = api.post("/v1/sandboxes/" + source + "/pause", Map.of());
            assertThat(paused.status()).as(paused.raw()).isEqualTo(200);
            var fork = CompletableFuture.supplyAsync(
                    () -> api.post("/v1/sandboxes", Map.of("fromSnapshot", paused.text("snapshotId"))));
            PlatformClient.Answer resumed = api.post("/v1/sandboxes/" + source + "/resume", Map.of());
            PlatformClient.Answer forked = fork.get(60, TimeUnit.SECONDS);
            assertThat(resumed.status()).as(resumed.raw()).isEqualTo(200);
            forkStatuses.add(forked.status());
            if (forked.status() == 201) {
                api.delete("/v1/sandboxes/" + forked.text("id"));
            } else {
                assertError(forked, 409, "snapshot_not_current");
            }
        }
        System.out.println("fork racing a resume, statuses seen: " + forkStatuses);
        api.delete("/v1/sandboxes/" + source);
    }

    private static void assertError(PlatformClient.Answer answer, int status, String code) {
        assertThat(answer.status()).as(answer.raw()).isEqualTo(status);
        assertThat(answer.body().path("error").path("code").asText()).isEqualTo(code);
    }
}
