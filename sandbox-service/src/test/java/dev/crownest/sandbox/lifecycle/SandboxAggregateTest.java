package dev.crownest.sandbox.lifecycle;

import static dev.crownest.sandbox.Rejections.CONFLICT;
import static dev.crownest.sandbox.Rejections.FORBIDDEN;
import static dev.crownest.sandbox.Rejections.INVALID;
import static dev.crownest.sandbox.Rejections.NOT_FOUND;
import static dev.crownest.sandbox.Rejections.rejectedWith;
import static org.axonframework.test.matchers.Matchers.andNoMore;
import static org.axonframework.test.matchers.Matchers.exactSequenceOf;
import static org.axonframework.test.matchers.Matchers.messageWithPayload;

import dev.crownest.contracts.event.NetworkMode;
import dev.crownest.contracts.event.SandboxEvent;
import dev.crownest.contracts.event.SandboxEvent.SandboxCreated;
import dev.crownest.contracts.event.SandboxEvent.SandboxExpired;
import dev.crownest.contracts.event.SandboxEvent.SandboxFailed;
import dev.crownest.contracts.event.SandboxEvent.SandboxKilled;
import dev.crownest.contracts.event.SandboxEvent.SandboxPauseFailed;
import dev.crownest.contracts.event.SandboxEvent.SandboxPaused;
import dev.crownest.contracts.event.SandboxEvent.SandboxResumeFailed;
import dev.crownest.contracts.event.SandboxEvent.SandboxResumed;
import dev.crownest.contracts.event.SandboxEvent.SandboxStarted;
import dev.crownest.contracts.event.SandboxEvent.SandboxTtlExtended;
import dev.crownest.contracts.event.SandboxEvent.SnapshotDeleted;
import dev.crownest.contracts.event.SandboxEvent.SnapshotStored;
import dev.crownest.contracts.node.SandboxChange;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.hamcrest.CustomTypeSafeMatcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SandboxAggregateTest {
    private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");
    private static final String SNAPSHOT = "snp_1";
    private static final String ID = "sbx_abcdefghij0123456789";

    private AggregateTestFixture<SandboxAggregate> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(SandboxAggregate.class);
        fixture.registerInjectableResource(Clock.fixed(NOW, ZoneOffset.UTC));
        fixture.registerInjectableResource(new TemplateCatalog(List.of("base", "python", "node")));
        fixture.registerInjectableResource(new NetworkPolicy(List.of("t-open")));
        // Event ids are fresh UUIDs: compare everything else.
        for (Class<?> type : List.of(
                SandboxCreated.class,
                SandboxStarted.class,
                SandboxFailed.class,
                SandboxKilled.class,
                SandboxExpired.class,
                SandboxPaused.class,
                SandboxResumed.class,
                SandboxPauseFailed.class,
                SandboxResumeFailed.class,
                SandboxTtlExtended.class,
                SnapshotDeleted.class,
                SnapshotStored.class)) {
            fixture.registerIgnoredField(type, "eventId");
        }
        // a pause's snapshot id is random: the tests name it in their given events
        fixture.registerIgnoredField(SandboxPaused.class, "snapshotId");
    }

    private static CreateSandbox create(String template, long ttlMs, NetworkMode network, int cpu, int memoryMb) {
        return new CreateSandbox(
                ID,
                "t1",
                "p1",
                template,
                ttlMs,
                network,
                List.of(),
                cpu,
                memoryMb,
                1024,
                Map.of("A", "1"),
                Map.of("k", "v"),
                "key_1");
    }

    private static SandboxCreated created() {
        return new SandboxCreated(
                UUID.randomUUID(),
                "t1",
                NOW,
                1,
                ID,
                "p1",
                "python",
                60_000,
                NOW.plusMillis(60_000),
                NetworkMode.OFF,
                List.of(),
                2,
                1024,
                1024,
                Map.of("A", "1"),
                Map.of("k", "v"),
                "key_1");
    }

    private static SandboxStarted started() {
        return new SandboxStarted(UUID.randomUUID(), "t1", NOW, 1, ID, "node-1", "node-1");
    }

    @Test
    void createsAStartingSandboxWhoseDeadlineIsNowPlusTtl() {
        fixture.givenNoPriorActivity()
                .when(create("python", 60_000, NetworkMode.OFF, 2, 1024))
                .expectSuccessfulHandlerExecution()
                .expectEvents(created());
    }

    @Test
    void createdEventsCarryAFreshIdAndSchemaVersionOne() {
        fixture.givenNoPriorActivity()
                .when(create("python", 60_000, NetworkMode.OFF, 2, 1024))
                .expectEventsMatching(exactSequenceOf(
                        messageWithPayload(new CustomTypeSafeMatcher<SandboxEvent>("a versioned event with an id") {
                            @Override
                            protected boolean matchesSafely(SandboxEvent event) {
                                return event.eventId() != null
                                        && event.schemaVersion() == 1
                                        && event.occurredAt().equals(NOW);
                            }
                        }),
                        andNoMore()));
    }

    @Test
    void rejectsUnknownTemplatesBadLimitsAndUnavailableNetworks() {
        assertRejected(create("ruby", 60_000, NetworkMode.OFF, 1, 512), "unknown_template");
        assertRejected(create("base", -1, NetworkMode.OFF, 1, 512), "invalid_ttl");
        assertRejected(create("base", 999, NetworkMode.OFF, 1, 512), "invalid_ttl");
        assertRejected(create("base", 86_400_001, NetworkMode.OFF, 1, 512), "invalid_ttl");
        assertRejected(create("base", 60_000, NetworkMode.OFF, 0, 512), "invalid_cpu");
        assertRejected(create("base", 60_000, NetworkMode.OFF, 9, 512), "invalid_cpu");
        assertRejected(create("base", 60_000, NetworkMode.OFF, 1, 127), "invalid_memory");
        assertRejected(create("base", 60_000, NetworkMode.OFF, 1, 16_385), "invalid_memory");
    }

    private static CreateSandbox create(String tenant, NetworkMode network, List<String> allowedHosts) {
        return new CreateSandbox(
                ID, tenant, "p1", "base", 60_000, network, allowedHosts, 1, 512, 1024, Map.of(), Map.of(), "key_1");
    }

    @Test
    void restrictedIsForEveryTenantWithItsAllowedHostsNormalized() {
        fixture.givenNoPriorActivity()
                .when(create("t1", NetworkMode.RESTRICTED, List.of("PyPI.org", "*.example.com", "pypi.org")))
                .expectSuccessfulHandlerExecution()
                .expectEventsMatching(exactSequenceOf(
                        messageWithPayload(
                                new CustomTypeSafeMatcher<SandboxCreated>(
                                        "restricted with pypi.org and *.example.com") {
                                    @Override
                                    protected boolean matchesSafely(SandboxCreated event) {
                                        return event.network() == NetworkMode.RESTRICTED
                                                && event.allowedHosts().equals(List.of("pypi.org", "*.example.com"));
                                    }
                                }),
                        andNoMore()));
        fixture.givenNoPriorActivity()
                .when(create("t1", NetworkMode.RESTRICTED, List.of()))
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void openOnlyForTenantsWithTheFlag() {
        fixture.givenNoPriorActivity()
                .when(create("t-open", NetworkMode.OPEN, List.of()))
                .expectSuccessfulHandlerExecution();
        fixture.givenNoPriorActivity()
                .when(create("t1", NetworkMode.OPEN, List.of()))
                .expectNoEvents()
                .expectException(rejectedWith(FORBIDDEN, "network_open_not_allowed"));
    }

    @Test
    void allowedHostsOnlyWithRestricted() {
        for (NetworkMode mode : List.of(NetworkMode.OFF, NetworkMode.OPEN)) {
            fixture.givenNoPriorActivity()
                    .when(create("t-open", mode, List.of("pypi.org")))
                    .expectNoEvents()
                    .expectException(rejectedWith(INVALID, "allowed_hosts_need_restricted"));
        }
        assertRejected(create("t1", NetworkMode.RESTRICTED, List.of("http://pypi.org/")), "invalid_allowed_hosts");
        assertRejected(create("t1", NetworkMode.RESTRICTED, List.of("*")), "invalid_allowed_hosts");
        assertRejected(create("t1", NetworkMode.RESTRICTED, List.of("10.0.0.1:80")), "invalid_allowed_hosts");
    }

    private void assertRejected(CreateSandbox command, String code) {
        fixture.givenNoPriorActivity().when(command).expectNoEvents().expectException(rejectedWith(INVALID, code));
    }

    @Test
    void startsOnlyFromStarting() {
        fixture.given(created()).when(new RecordSandboxStarted(ID, "node-1")).expectEvents(started());
    }

    @Test
    void aRepeatedStartReportChangesNothing() {
        fixture.given(created(), started())
                .when(new RecordSandboxStarted(ID, "node-1"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void aKilledSandboxCannotStart() {
        fixture.given(created(), new SandboxKilled(UUID.randomUUID(), "t1", NOW, 1, ID, "requested", "key_1"))
                .when(new RecordSandboxStarted(ID, "node-1"))
                .expectNoEvents()
                .expectException(rejectedWith(CONFLICT, "sandbox_not_starting"));
    }

    @Test
    void failsWhileStartingOrWhenItDiesOnItsNode() {
        fixture.given(created())
                .when(new RecordSandboxFailed(ID, "runsc: no such template"))
                .expectEvents(
                        new SandboxFailed(UUID.randomUUID(), "t1", NOW, 1, ID, "runsc: no such template", "node"));
        fixture.given(created(), started())
                .when(new RecordSandboxFailed(ID, "out_of_memory"))
                .expectEvents(new SandboxFailed(UUID.randomUUID(), "t1", NOW, 1, ID, "out_of_memory", "node"));
        // what ended it first stands; the report is answered as done
        fixture.given(
                        created(),
                        started(),
                        new SandboxKilled(UUID.randomUUID(), "t1", NOW, 1, ID, "requested", "key_1"))
                .when(new RecordSandboxFailed(ID, "out_of_memory"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void aSandboxOfALostNodeEndsStoppedAtTheNodesLastHeartbeatOnceWhoeverTellsIt() {
        Instant lastHeartbeat = NOW.minusSeconds(11);
        fixture.given(created(), started())
                .when(new RecordSandboxFailed(ID, "node_lost", lastHeartbeat))
                .expectEvents(
                        new SandboxFailed(UUID.randomUUID(), "t1", NOW, 1, ID, "node_lost", "node", lastHeartbeat));
        // a second instance that lost the same node: the first end stands
        fixture.given(
                        created(),
                        started(),
                        new SandboxFailed(UUID.randomUUID(), "t1", NOW, 1, ID, "node_lost", "node", lastHeartbeat))
                .when(new RecordSandboxFailed(ID, "node_lost", lastHeartbeat))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void killsARunningSandbox() {
        fixture.given(created(), started())
                .when(new KillSandbox(ID, "t1", "requested", "key_2"))
                .expectEvents(new SandboxKilled(UUID.randomUUID(), "t1", NOW, 1, ID, "requested", "key_2"));
    }

    @Test
    void killingAnEndedSandboxIsANoOp() {
        fixture.given(
                        created(),
                        started(),
                        new SandboxKilled(UUID.randomUUID(), "t1", NOW, 1, ID, "requested", "key_2"))
                .when(new KillSandbox(ID, "t1", "requested", "key_2"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
        fixture.given(created(), new SandboxExpired(UUID.randomUUID(), "t1", NOW, 1, ID, "system:ttl"))
                .when(new KillSandbox(ID, "t1", "requested", "key_2"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
        fixture.given(created(), new SandboxFailed(UUID.randomUUID(), "t1", NOW, 1, ID, "boom", "node"))
                .when(new KillSandbox(ID, "t1", "requested", "key_2"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void anotherTenantCannotKillIt() {
        fixture.given(created(), started())
                .when(new KillSandbox(ID, "t2", "requested", "key_9"))
                .expectNoEvents()
                .expectException(rejectedWith(NOT_FOUND, "sandbox_not_found"));
    }

    @Test
    void expiresOnlyWhenStartingOrRunning() {
        fixture.given(created())
                .when(new ExpireSandbox(ID))
                .expectEvents(new SandboxExpired(UUID.randomUUID(), "t1", NOW, 1, ID, "system:ttl"));
        fixture.given(created(), started())
                .when(new ExpireSandbox(ID))
                .expectEvents(new SandboxExpired(UUID.randomUUID(), "t1", NOW, 1, ID, "system:ttl"));
        fixture.given(
                        created(),
                        started(),
                        new SandboxKilled(UUID.randomUUID(), "t1", NOW, 1, ID, "requested", "key_2"))
                .when(new ExpireSandbox(ID))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    private static SandboxPaused paused(String actor) {
        return new SandboxPaused(UUID.randomUUID(), "t1", NOW, 1, ID, actor, SNAPSHOT, 60_000L);
    }

    @Test
    void aNetworkedSandboxPausesToo() {
        SandboxCreated restricted = new SandboxCreated(
                UUID.randomUUID(),
                "t1",
                NOW,
                1,
                ID,
                "p1",
                "python",
                60_000,
                NOW.plusMillis(60_000),
                NetworkMode.RESTRICTED,
                List.of("pypi.org"),
                2,
                1024,
                1024,
                Map.of(),
                Map.of(),
                "key_1");
        fixture.given(restricted, started())
                .when(new PauseSandbox(ID, "t1", "key_2"))
                .expectResultMessagePayload(true)
                .expectEvents(paused("key_2"));
    }

    @Test
    void aPausedSandboxsTtlStandsStillAndRunsAgainFromTheResume() {
        // paused with 10 s left; resumed (the clock says NOW): 10 s from now, whatever the paused time was
        SandboxPaused pausedWithTenSecondsLeft =
                new SandboxPaused(UUID.randomUUID(), "t1", NOW.minusSeconds(3600), 1, ID, "key_2", SNAPSHOT, 10_000L);
        fixture.given(created(), started(), pausedWithTenSecondsLeft)
                .when(new ResumeSandbox(ID, "t1", "key_3"))
                .expectEvents(new SandboxResumed(
                        UUID.randomUUID(), "t1", NOW, 1, ID, "key_3", SNAPSHOT, NOW.plusMillis(10_000)));
        // and the reaper's expiry does not touch a paused sandbox's TTL
        fixture.given(created(), started(), pausedWithTenSecondsLeft)
                .when(new ExtendSandboxTtl(ID, "t1", 120_000, "key_2"))
                .expectEvents(new SandboxTtlExtended(
                        UUID.randomUUID(), "t1", NOW, 1, ID, 120_000, NOW.plusMillis(120_000), "key_2"));
    }

    @Test
    void aResumeNamingASnapshotNeedsTheSandboxPausedAtIt() {
        fixture.given(created(), started(), paused("key_2"))
                .when(new ResumeSandbox(ID, "t1", "key_3", "snp_other"))
                .expectNoEvents()
                .expectException(rejectedWith(CONFLICT, "snapshot_not_current"));
        fixture.given(created(), started(), paused("key_2"), resumed("key_3"))
                .when(new ResumeSandbox(ID, "t1", "key_3", SNAPSHOT))
                .expectNoEvents()
                .expectException(rejectedWith(CONFLICT, "snapshot_not_current"));
        fixture.given(created(), started(), paused("key_2"))
                .when(new ResumeSandbox(ID, "t1", "key_3", SNAPSHOT))
                .expectResultMessagePayload(true)
                .expectEvents(resumed("key_3"));
    }

    @Test
    void deletingTheSnapshotASandboxIsPausedAtEndsTheSandbox() {
        fixture.given(created(), started(), paused("key_2"))
                .when(new DeleteSnapshot(ID, SNAPSHOT, "t1", "key_4"))
                .expectEvents(
                        new SnapshotDeleted(UUID.randomUUID(), "t1", NOW, 1, ID, SNAPSHOT, "key_4"),
                        new SandboxKilled(UUID.randomUUID(), "t1", NOW, 1, ID, "snapshot_deleted", "key_4"));
        // a superseded one goes alone
        fixture.given(created(), started(), paused("key_2"), resumed("key_3"))
                .when(new DeleteSnapshot(ID, SNAPSHOT, "t1", "key_4"))
                .expectEvents(new SnapshotDeleted(UUID.randomUUID(), "t1", NOW, 1, ID, SNAPSHOT, "key_4"));
        fixture.given(
                        created(),
                        started(),
                        paused("key_2"),
                        resumed("key_3"),
                        new SnapshotDeleted(UUID.randomUUID(), "t1", NOW, 1, ID, SNAPSHOT, "key_4"))
                .when(new DeleteSnapshot(ID, SNAPSHOT, "t1", "key_4"))
                .expectNoEvents()
                .expectException(rejectedWith(410, "snapshot_gone"));
        fixture.given(created(), started(), paused("key_2"))
                .when(new DeleteSnapshot(ID, SNAPSHOT, "t2", "key_9"))
                .expectNoEvents()
                .expectException(rejectedWith(NOT_FOUND, "snapshot_not_found"));
    }

    @Test
    void theNodesSizeIsRecordedForTheSnapshotTheSandboxIsPausedAt() {
        fixture.given(created(), started(), paused("key_2"))
                .when(new RecordSnapshotStored(ID, SNAPSHOT, 4096))
                .expectEvents(new SnapshotStored(UUID.randomUUID(), "t1", NOW, 1, ID, SNAPSHOT, 4096, "node"));
        fixture.given(created(), started(), paused("key_2"), resumed("key_3"))
                .when(new RecordSnapshotStored(ID, SNAPSHOT, 4096))
                .expectNoEvents();
    }

    @Test
    void aForkIsCreatedWithTheSourcesShapeAndItsOwnTtl() {
        String fork = "sbx_fork";
        fixture.givenNoPriorActivity()
                .when(new ForkSandbox(
                        fork,
                        "t1",
                        "p1",
                        SNAPSHOT,
                        ID,
                        "python",
                        30_000,
                        NetworkMode.RESTRICTED,
                        List.of("pypi.org"),
                        2,
                        1024,
                        2048,
                        Map.of("run", "7"),
                        "key_5"))
                .expectEvents(new SandboxCreated(
                        UUID.randomUUID(),
                        "t1",
                        NOW,
                        1,
                        fork,
                        "p1",
                        "python",
                        30_000,
                        NOW.plusMillis(30_000),
                        NetworkMode.RESTRICTED,
                        List.of("pypi.org"),
                        2,
                        1024,
                        2048,
                        Map.of(),
                        Map.of("run", "7"),
                        "key_5",
                        SNAPSHOT,
                        ID));
    }

    @Test
    void pausesARunningSandboxAndResumesIt() {
        fixture.given(created(), started())
                .when(new PauseSandbox(ID, "t1", "key_2"))
                .expectResultMessagePayload(true)
                .expectEvents(paused("key_2"));
        fixture.given(created(), started(), paused("key_2"))
                .when(new ResumeSandbox(ID, "t1", "key_3"))
                .expectResultMessagePayload(true)
                .expectEvents(resumed("key_3"));
    }

    @Test
    void pauseAndResumeAreIdempotent() {
        fixture.given(created(), started(), paused("key_2"))
                .when(new PauseSandbox(ID, "t1", "key_2"))
                .expectResultMessagePayload(false)
                .expectNoEvents();
        fixture.given(created(), started())
                .when(new ResumeSandbox(ID, "t1", "key_2"))
                .expectResultMessagePayload(false)
                .expectNoEvents();
    }

    @Test
    void onlyARunningSandboxPausesAndOnlyAPausedOneResumes() {
        fixture.given(created())
                .when(new PauseSandbox(ID, "t1", "key_2"))
                .expectNoEvents()
                .expectException(rejectedWith(CONFLICT, "sandbox_not_running"));
        fixture.given(
                        created(),
                        started(),
                        new SandboxKilled(UUID.randomUUID(), "t1", NOW, 1, ID, "requested", "key_2"))
                .when(new ResumeSandbox(ID, "t1", "key_2"))
                .expectNoEvents()
                .expectException(rejectedWith(CONFLICT, "sandbox_not_paused"));
        fixture.given(created(), started())
                .when(new PauseSandbox(ID, "t2", "key_9"))
                .expectNoEvents()
                .expectException(rejectedWith(NOT_FOUND, "sandbox_not_found"));
    }

    private static SandboxResumed resumed(String actor) {
        return new SandboxResumed(UUID.randomUUID(), "t1", NOW, 1, ID, actor, SNAPSHOT, NOW.plusMillis(60_000));
    }

    private static SandboxPauseFailed pauseFailed(String reason) {
        return new SandboxPauseFailed(UUID.randomUUID(), "t1", NOW, 1, ID, reason, "node");
    }

    private static SandboxResumeFailed resumeFailed(String reason) {
        return new SandboxResumeFailed(UUID.randomUUID(), "t1", NOW, 1, ID, reason, "node");
    }

    @Test
    void aPauseItsNodeCouldNotDoIsRecordedAsFailedAndLeavesTheSandboxRunning() {
        fixture.given(created(), started(), paused("key_2"))
                .when(new RecordChangeFailed(ID, SandboxChange.PAUSE, "checkpoint failed"))
                .expectEvents(pauseFailed("checkpoint failed"));
        // running again: it pauses anew, and there is nothing to resume
        fixture.given(created(), started(), paused("key_2"), pauseFailed("checkpoint failed"))
                .when(new PauseSandbox(ID, "t1", "key_2"))
                .expectResultMessagePayload(true)
                .expectEvents(paused("key_2"));
        fixture.given(created(), started(), paused("key_2"), pauseFailed("checkpoint failed"))
                .when(new ResumeSandbox(ID, "t1", "key_2"))
                .expectResultMessagePayload(false)
                .expectNoEvents();
    }

    @Test
    void aResumeItsNodeCouldNotDoIsRecordedAsFailedAndLeavesTheSandboxPaused() {
        fixture.given(created(), started(), paused("key_2"), resumed("key_3"))
                .when(new RecordChangeFailed(ID, SandboxChange.RESUME, "restore failed"))
                .expectEvents(resumeFailed("restore failed"));
        // paused still, its image kept: it resumes anew, and pausing it changes nothing
        fixture.given(created(), started(), paused("key_2"), resumed("key_3"), resumeFailed("restore failed"))
                .when(new ResumeSandbox(ID, "t1", "key_3"))
                .expectResultMessagePayload(true)
                .expectEvents(resumed("key_3"));
        fixture.given(created(), started(), paused("key_2"), resumed("key_3"), resumeFailed("restore failed"))
                .when(new PauseSandbox(ID, "t1", "key_2"))
                .expectResultMessagePayload(false)
                .expectNoEvents();
    }

    @Test
    void aFailureReportWithNothingToFailChangesNothing() {
        // repeated reports: the failure is recorded already
        fixture.given(created(), started(), paused("key_2"), pauseFailed("checkpoint failed"))
                .when(new RecordChangeFailed(ID, SandboxChange.PAUSE, "checkpoint failed"))
                .expectNoEvents();
        fixture.given(created(), started(), paused("key_2"), resumed("key_3"), resumeFailed("restore failed"))
                .when(new RecordChangeFailed(ID, SandboxChange.RESUME, "restore failed"))
                .expectNoEvents();
        // an ending recorded since stands
        fixture.given(
                        created(),
                        started(),
                        paused("key_2"),
                        new SandboxKilled(UUID.randomUUID(), "t1", NOW, 1, ID, "requested", "key_2"))
                .when(new RecordChangeFailed(ID, SandboxChange.PAUSE, "checkpoint failed"))
                .expectNoEvents();
        fixture.given(created())
                .when(new RecordChangeFailed(ID, SandboxChange.RESUME, "restore failed"))
                .expectNoEvents();
    }

    @Test
    void aTtlItsNodeDidNotTakeChangesNothing() {
        fixture.given(created(), started())
                .when(new RecordChangeFailed(ID, SandboxChange.EXTEND_TTL, "no such sandbox"))
                .expectNoEvents();
    }

    @Test
    void aFailureWithoutAReasonIsRecordedAsUnknown() {
        fixture.given(created(), started(), paused("key_2"))
                .when(new RecordChangeFailed(ID, SandboxChange.PAUSE, " "))
                .expectEvents(pauseFailed("unknown"));
    }

    @Test
    void aPausedSandboxStillExpiresAndCanBeKilled() {
        fixture.given(created(), started(), paused("key_2"))
                .when(new ExpireSandbox(ID))
                .expectEvents(new SandboxExpired(UUID.randomUUID(), "t1", NOW, 1, ID, "system:ttl"));
        fixture.given(created(), started(), paused("key_2"))
                .when(new KillSandbox(ID, "t1", "requested", "key_2"))
                .expectEvents(new SandboxKilled(UUID.randomUUID(), "t1", NOW, 1, ID, "requested", "key_2"));
    }

    @Test
    void extendsTheTtlToTtlMsFromNow() {
        fixture.given(created(), started(), paused("key_2"))
                .when(new ExtendSandboxTtl(ID, "t1", 120_000, "key_2"))
                .expectEvents(new SandboxTtlExtended(
                        UUID.randomUUID(), "t1", NOW, 1, ID, 120_000, NOW.plusMillis(120_000), "key_2"));
    }

    @Test
    void aTtlExtensionMustMoveTheDeadlineLaterAndStayWithin24HoursOfTheCreate() {
        fixture.given(created(), started())
                .when(new ExtendSandboxTtl(ID, "t1", 30_000, "key_2"))
                .expectNoEvents()
                .expectException(rejectedWith(INVALID, "invalid_ttl"));
        SandboxCreated longAgo = new SandboxCreated(
                UUID.randomUUID(),
                "t1",
                NOW.minusSeconds(23 * 3600),
                1,
                ID,
                "p1",
                "python",
                23 * 3600_000L + 60_000,
                NOW.plusMillis(60_000),
                NetworkMode.OFF,
                List.of(),
                2,
                1024,
                1024,
                Map.of(),
                Map.of(),
                "key_1");
        fixture.given(longAgo, started())
                .when(new ExtendSandboxTtl(ID, "t1", 2 * 3600_000L, "key_2"))
                .expectNoEvents()
                .expectException(rejectedWith(INVALID, "max_lifetime_exceeded"));
        fixture.given(longAgo, started())
                .when(new ExtendSandboxTtl(ID, "t1", 1800_000L, "key_2"))
                .expectEvents(new SandboxTtlExtended(
                        UUID.randomUUID(), "t1", NOW, 1, ID, 1800_000L, NOW.plusMillis(1800_000L), "key_2"));
        fixture.given(created(), started(), new SandboxExpired(UUID.randomUUID(), "t1", NOW, 1, ID, "system:ttl"))
                .when(new ExtendSandboxTtl(ID, "t1", 120_000, "key_2"))
                .expectNoEvents()
                .expectException(rejectedWith(CONFLICT, "sandbox_ended"));
    }
}
