package dev.crownest.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.crownest.contracts.security.Scopes;
import dev.crownest.sdk.CrowNest;
import dev.crownest.sdk.RawResponse;
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

    private static CrowNest api;

    @BeforeAll
    static void connect() {
        api = SystemUnderTest.client();
    }

    @Test
    void aForkCountsOnFromWhereTheSnapshotWasAndTheSourceResumesAfterIt() throws Exception {
        String source = create(Map.of("template", "base", "metadata", Map.of("team", "ml")));
        assertThat(api.sandboxes().get(source).commands().run(COUNTER).exitCode())
                .isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> count(source) >= 10);
        long beforePause = count(source);

        RawResponse paused = api.http().send("POST", "/v1/sandboxes/" + source + "/pause", Map.of());
        assertThat(paused.status()).as(paused.text()).isEqualTo(200);
        String snapshot = paused.field("snapshotId");
        assertThat(snapshot).startsWith("snp_");
        assertThat(api.http().send("GET", "/v1/sandboxes/" + source).field("snapshotId"))
                .isEqualTo(snapshot);
        RawResponse view = api.http().send("GET", "/v1/snapshots/" + snapshot);
        assertThat(view.status()).as(view.text()).isEqualTo(200);
        assertThat(view.field("sandboxId")).isEqualTo(source);
        assertThat(view.field("template")).isEqualTo("base");
        assertThat(view.field("status")).isEqualTo("current");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> api.http()
                                .send("GET", "/v1/snapshots/" + snapshot)
                                .json()
                                .path("sizeBytes")
                                .asLong()
                        > 0);
        assertThat(api.http()
                        .send("GET", "/v1/snapshots?sandboxId=" + source)
                        .json()
                        .path("data")
                        .get(0)
                        .path("id")
                        .asText())
                .isEqualTo(snapshot);

        // The fork: the snapshot's memory, so the loop counts on from where it was, never from 1.
        RawResponse forked =
                api.http().send("POST", "/v1/sandboxes", Map.of("fromSnapshot", snapshot, "ttlMs", 60_000));
        assertThat(forked.status()).as(forked.text()).isEqualTo(201);
        String fork = forked.field("id");
        assertThat(forked.field("fromSnapshot")).isEqualTo(snapshot);
        assertThat(forked.field("template")).isEqualTo("base");
        assertThat(forked.json().path("metadata").path("team").asText()).isEqualTo("ml");
        long first = count(fork);
        assertThat(first).as("the fork's count goes on from the source's").isGreaterThanOrEqualTo(beforePause);
        await().atMost(Duration.ofSeconds(10)).until(() -> count(fork) > first + 5);

        // Forked again: the source stays paused at its snapshot.
        RawResponse second = api.http().send("POST", "/v1/sandboxes", Map.of("fromSnapshot", snapshot));
        assertThat(second.status()).as(second.text()).isEqualTo(201);
        assertThat(api.sandboxes().get(source).status()).isEqualTo("paused");

        // A running sandbox is at no snapshot; then the source resumes at its own, and counts on.
        assertError(
                api.http().send("POST", "/v1/sandboxes/" + fork + "/resume", Map.of("snapshotId", snapshot)),
                409,
                "snapshot_not_current");
        RawResponse resumed =
                api.http().send("POST", "/v1/sandboxes/" + source + "/resume", Map.of("snapshotId", snapshot));
        assertThat(resumed.status()).as(resumed.text()).isEqualTo(200);
        long resumedAt = count(source);
        await().atMost(Duration.ofSeconds(10)).until(() -> count(source) > resumedAt + 5);
        // Resumed since: superseded, neither resumable nor forkable.
        assertThat(api.http().send("GET", "/v1/snapshots/" + snapshot).field("status"))
                .isEqualTo("superseded");
        assertError(
                api.http().send("POST", "/v1/sandboxes", Map.of("fromSnapshot", snapshot)),
                409,
                "snapshot_not_current");

        // Metered and audited as a create.
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(api.http()
                            .send("GET", "/v1/usage?sandboxId=" + fork)
                            .json()
                            .path("totals")
                            .path("computeUnitSeconds")
                            .asDouble())
                    .isGreaterThan(0);
            Set<String> actions = new TreeSet<>();
            api.http()
                    .send("GET", "/v1/audit/events?resourceId=" + fork)
                    .json()
                    .path("data")
                    .forEach(e -> actions.add(e.path("action").asText()));
            assertThat(actions).contains("sandbox.created", "sandbox.started");
        });
        for (String id : new String[] {fork, second.field("id"), source}) {
            assertThat(api.http().send("DELETE", "/v1/sandboxes/" + id).status())
                    .isEqualTo(200);
        }
    }

    @Test
    void aForkTakesOnlyTtlAndMetadataAndADeletedOrAnotherTenantsSnapshotIsRefused() throws Exception {
        String source = create(Map.of("template", "base"));
        String snapshot = api.http()
                .send("POST", "/v1/sandboxes/" + source + "/pause", Map.of())
                .field("snapshotId");

        assertError(
                api.http().send("POST", "/v1/sandboxes", Map.of("fromSnapshot", snapshot, "template", "python")),
                400,
                "fork_field_not_allowed");
        assertError(
                api.http().send("POST", "/v1/sandboxes", Map.of("fromSnapshot", snapshot, "cpu", 2, "network", "open")),
                400,
                "fork_field_not_allowed");
        assertError(
                api.http().send("POST", "/v1/sandboxes", Map.of("fromSnapshot", "snp_nope")),
                404,
                "snapshot_not_found");

        CrowNest other = otherTenant();
        assertError(
                other.http().send("POST", "/v1/sandboxes", Map.of("fromSnapshot", snapshot)),
                404,
                "snapshot_not_found");
        assertError(other.http().send("GET", "/v1/snapshots/" + snapshot), 404, "snapshot_not_found");
        assertError(other.http().send("DELETE", "/v1/snapshots/" + snapshot), 404, "snapshot_not_found");
        assertThat(other.http().send("GET", "/v1/snapshots").json().path("data").toString())
                .doesNotContain(snapshot);

        // Deleting the snapshot the sandbox is paused at ends the sandbox; the snapshot is gone.
        assertThat(api.http().send("DELETE", "/v1/snapshots/" + snapshot).status())
                .isEqualTo(204);
        assertThat(api.sandboxes().get(source).status()).isEqualTo("killed");
        assertError(api.http().send("GET", "/v1/snapshots/" + snapshot), 410, "snapshot_gone");
        assertError(api.http().send("POST", "/v1/sandboxes", Map.of("fromSnapshot", snapshot)), 410, "snapshot_gone");
        assertError(api.http().send("DELETE", "/v1/snapshots/" + snapshot), 410, "snapshot_gone");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> !SystemUnderTest.runningOnNode().contains(source));
    }

    @Test
    void aPausedSandboxsTtlStandsStillAndRunsOutAfterTheResume() throws Exception {
        RawResponse created = api.http().send("POST", "/v1/sandboxes", Map.of("template", "base", "ttlMs", 3000));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String id = created.field("id");
        RawResponse paused = api.http().send("POST", "/v1/sandboxes/" + id + "/pause", Map.of());
        assertThat(paused.status()).as(paused.text()).isEqualTo(200);
        long left = Duration.between(Instant.now(), Instant.parse(created.field("expiresAt")))
                .toMillis();
        Thread.sleep(4000); // longer than its whole TTL
        assertThat(api.sandboxes().get(id).status()).isEqualTo("paused");

        RawResponse resumed = api.http().send("POST", "/v1/sandboxes/" + id + "/resume", Map.of());
        assertThat(resumed.status()).as(resumed.text()).isEqualTo(200);
        Instant deadline = Instant.parse(resumed.field("expiresAt"));
        assertThat(Duration.between(Instant.now(), deadline).toMillis())
                .as("about the TTL it had left when paused")
                .isBetween(left - 1500, left + 500);
        assertThat(api.sandboxes().get(id).commands().run("true").exitCode()).isZero();
        await().atMost(Duration.ofMillis(Math.max(0, left) + 3000))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> "expired".equals(api.sandboxes().get(id).status()));
        assertThat(Instant.now()).isAfterOrEqualTo(deadline);
    }

    private static String create(Map<String, Object> body) {
        RawResponse created = api.http().send("POST", "/v1/sandboxes", body);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.field("id");
    }

    private static long count(String sandboxId) {
        String out = api.sandboxes()
                .get(sandboxId)
                .commands()
                .run("cat /workspace/count")
                .stdout()
                .strip();
        return out.matches("\\d+") ? Long.parseLong(out) : 0;
    }

    private static CrowNest otherTenant() {
        CrowNest operator = SystemUnderTest.operator();
        RawResponse tenant = operator.http()
                .send(
                        "POST",
                        "/v1/tenants",
                        Map.of("name", "snap-" + UUID.randomUUID().toString().substring(0, 8), "plan", "pro"));
        assertThat(tenant.status()).as(tenant.text()).isEqualTo(201);
        CrowNest admin = SystemUnderTest.withSession(tenant.field("adminToken"));
        RawResponse key = admin.http().send("POST", "/v1/keys", Map.of("name", "snap", "scopes", Scopes.ALL));
        assertThat(key.status()).as(key.text()).isEqualTo(201);
        return SystemUnderTest.withKey(key.field("key"));
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
            RawResponse paused = api.http().send("POST", "/v1/sandboxes/" + source + "/pause", Map.of());
            assertThat(paused.status()).as(paused.text()).isEqualTo(200);
            var fork = CompletableFuture.supplyAsync(
                    () -> api.http().send("POST", "/v1/sandboxes", Map.of("fromSnapshot", paused.field("snapshotId"))));
            RawResponse resumed = api.http().send("POST", "/v1/sandboxes/" + source + "/resume", Map.of());
            RawResponse forked = fork.get(60, TimeUnit.SECONDS);
            assertThat(resumed.status()).as(resumed.text()).isEqualTo(200);
            forkStatuses.add(forked.status());
            if (forked.status() == 201) {
                api.http().send("DELETE", "/v1/sandboxes/" + forked.field("id"));
            } else {
                assertError(forked, 409, "snapshot_not_current");
            }
        }
        System.out.println("fork racing a resume, statuses seen: " + forkStatuses);
        api.http().send("DELETE", "/v1/sandboxes/" + source);
    }

    private static void assertError(RawResponse answer, int status, String code) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(status);
        assertThat(answer.json().path("error").path("code").asText()).isEqualTo(code);
    }
}
