package dev.crownest.sandbox.command;

import static dev.crownest.sandbox.Rejections.CONFLICT;
import static dev.crownest.sandbox.Rejections.INVALID;
import static dev.crownest.sandbox.Rejections.rejectedWith;

import dev.crownest.contracts.api.CollectError;
import dev.crownest.contracts.api.CollectFile;
import dev.crownest.contracts.event.CommandEvent.ArtifactCollected;
import dev.crownest.contracts.event.CommandEvent.CommandCancelRequested;
import dev.crownest.contracts.event.CommandEvent.CommandFinished;
import dev.crownest.contracts.event.CommandEvent.CommandStarted;
import dev.crownest.contracts.event.CommandFact;
import dev.crownest.sandbox.artifact.RecordArtifactCollected;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CommandAggregateTest {
    private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");
    private static final String ID = "cmd_abc";
    private static final String SANDBOX = "sbx_abcdefghij0123456789";

    private AggregateTestFixture<CommandAggregate> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(CommandAggregate.class);
        fixture.registerInjectableResource(Clock.fixed(NOW, ZoneOffset.UTC));
        fixture.registerIgnoredField(CommandStarted.class, "eventId");
        fixture.registerIgnoredField(CommandFinished.class, "eventId");
        fixture.registerIgnoredField(CommandCancelRequested.class, "eventId");
        fixture.registerIgnoredField(ArtifactCollected.class, "eventId");
    }

    private static RunCommand run(String cmd, long timeoutMs) {
        return new RunCommand(ID, SANDBOX, "t1", cmd, "/workspace", Map.of("X", "1"), timeoutMs, null, "key_1");
    }

    private static CommandStarted started() {
        return new CommandStarted(
                UUID.randomUUID(),
                "t1",
                NOW.minusSeconds(5),
                1,
                ID,
                SANDBOX,
                "echo hi",
                "/workspace",
                Map.of("X", "1"),
                60_000,
                null,
                "key_1");
    }

    @Test
    void startsACommand() {
        fixture.givenNoPriorActivity()
                .when(run("echo hi", 60_000))
                .expectEvents(new CommandStarted(
                        UUID.randomUUID(),
                        "t1",
                        NOW,
                        1,
                        ID,
                        SANDBOX,
                        "echo hi",
                        "/workspace",
                        Map.of("X", "1"),
                        60_000,
                        null,
                        "key_1"));
    }

    @Test
    void rejectsBlankCommandsAndBadTimeouts() {
        fixture.givenNoPriorActivity()
                .when(run("  ", 60_000))
                .expectNoEvents()
                .expectException(rejectedWith(INVALID, "invalid_command"));
        fixture.givenNoPriorActivity()
                .when(run(null, 60_000))
                .expectNoEvents()
                .expectException(rejectedWith(INVALID, "invalid_command"));
        fixture.givenNoPriorActivity()
                .when(run("ls", 0))
                .expectNoEvents()
                .expectException(rejectedWith(INVALID, "invalid_timeout"));
        fixture.givenNoPriorActivity()
                .when(run("ls", 3_600_001))
                .expectNoEvents()
                .expectException(rejectedWith(INVALID, "invalid_timeout"));
    }

    @Test
    void finishesWithTheProcessTimesAndItsDuration() {
        Instant processStart = NOW.minusMillis(1500);
        Instant processEnd = NOW.minusMillis(250);
        fixture.given(started())
                .when(new RecordCommandFinished(
                        ID, 3, "out", "err", false, false, processStart, processEnd, "execution-worker"))
                .expectEvents(new CommandFinished(
                        UUID.randomUUID(),
                        "t1",
                        NOW,
                        1,
                        ID,
                        SANDBOX,
                        3,
                        "out",
                        "err",
                        false,
                        false,
                        false,
                        processStart,
                        processEnd,
                        1250,
                        "execution-worker"));
    }

    @Test
    void finishesOnlyOnce() {
        Instant end = NOW.minusMillis(250);
        fixture.given(
                        started(),
                        new CommandFinished(
                                UUID.randomUUID(),
                                "t1",
                                NOW,
                                1,
                                ID,
                                SANDBOX,
                                0,
                                "",
                                "",
                                false,
                                false,
                                false,
                                NOW.minusSeconds(1),
                                end,
                                750,
                                "execution-worker"))
                .when(new RecordCommandFinished(
                        ID, 1, "again", "", false, false, NOW.minusSeconds(1), end, "execution-worker"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void aCancelIsRecordedOnceAndTheKilledExitCountsAsCancelled() {
        CommandCancelRequested requested =
                new CommandCancelRequested(UUID.randomUUID(), "t1", NOW, 1, ID, SANDBOX, "key_2");
        fixture.given(started()).when(new CancelCommand(ID, "key_2")).expectEvents(requested);
        fixture.given(started(), requested)
                .when(new CancelCommand(ID, "key_2"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
        Instant end = NOW.minusMillis(100);
        fixture.given(started(), requested)
                .when(new RecordCommandFinished(
                        ID, 137, "", "", false, false, NOW.minusSeconds(2), end, "execution-worker"))
                .expectEvents(new CommandFinished(
                        UUID.randomUUID(),
                        "t1",
                        NOW,
                        1,
                        ID,
                        SANDBOX,
                        137,
                        "",
                        "",
                        false,
                        false,
                        true,
                        NOW.minusSeconds(2),
                        end,
                        1900,
                        "execution-worker"));
        // it ended on its own before the kill landed: not cancelled
        fixture.given(started(), requested)
                .when(new RecordCommandFinished(
                        ID, 0, "done", "", false, false, NOW.minusSeconds(2), end, "execution-worker"))
                .expectEvents(new CommandFinished(
                        UUID.randomUUID(),
                        "t1",
                        NOW,
                        1,
                        ID,
                        SANDBOX,
                        0,
                        "done",
                        "",
                        false,
                        false,
                        false,
                        NOW.minusSeconds(2),
                        end,
                        1900,
                        "execution-worker"));
    }

    @Test
    void aFinishedCommandCannotBeCancelled() {
        fixture.given(
                        started(),
                        new CommandFinished(
                                UUID.randomUUID(),
                                "t1",
                                NOW,
                                1,
                                ID,
                                SANDBOX,
                                0,
                                "",
                                "",
                                false,
                                false,
                                false,
                                NOW.minusSeconds(1),
                                NOW,
                                1000,
                                "execution-worker"))
                .when(new CancelCommand(ID, "key_2"))
                .expectNoEvents()
                .expectException(rejectedWith(CONFLICT, "command_not_running"));
    }

    private static CommandStarted collecting(String... paths) {
        return new CommandStarted(
                UUID.randomUUID(),
                "t1",
                NOW.minusSeconds(5),
                1,
                ID,
                SANDBOX,
                "make",
                "/workspace",
                Map.of(),
                60_000,
                null,
                "key_1",
                Arrays.stream(paths).map(p -> new CollectFile(p, p)).toList());
    }

    private static RecordArtifactCollected artifact(String artifactId, String path) {
        return new RecordArtifactCollected(
                ID,
                artifactId,
                "prj_1",
                path,
                path,
                3,
                "ab".repeat(32),
                "text/plain",
                "t1/" + SANDBOX + "/" + artifactId,
                "execution-worker");
    }

    @Test
    void startsWithTheNormalizedCollectList() {
        fixture.givenNoPriorActivity()
                .when(new RunCommand(
                        ID,
                        SANDBOX,
                        "t1",
                        "make",
                        "/workspace",
                        Map.of(),
                        60_000,
                        null,
                        "key_1",
                        List.of(CollectFile.of("/workspace/out/a.txt"), new CollectFile("./b.bin", "bee"))))
                .expectEvents(new CommandStarted(
                        UUID.randomUUID(),
                        "t1",
                        NOW,
                        1,
                        ID,
                        SANDBOX,
                        "make",
                        "/workspace",
                        Map.of(),
                        60_000,
                        null,
                        "key_1",
                        List.of(new CollectFile("out/a.txt", "a.txt"), new CollectFile("b.bin", "bee"))));
        fixture.givenNoPriorActivity()
                .when(new RunCommand(
                        ID,
                        SANDBOX,
                        "t1",
                        "make",
                        "/workspace",
                        Map.of(),
                        60_000,
                        null,
                        "key_1",
                        List.of(CollectFile.of("../etc/passwd"))))
                .expectNoEvents()
                .expectException(rejectedWith(INVALID, "invalid_collect_path"));
    }

    @Test
    void indexesADeclaredFileOnceAndOnlyWhileTheCommandRuns() {
        fixture.given(collecting("a.txt", "b.txt"))
                .when(artifact("art_1", "a.txt"))
                .expectEvents(new ArtifactCollected(
                        UUID.randomUUID(),
                        "t1",
                        NOW,
                        1,
                        ID,
                        SANDBOX,
                        "prj_1",
                        "art_1",
                        "a.txt",
                        "a.txt",
                        3,
                        "ab".repeat(32),
                        "text/plain",
                        "t1/" + SANDBOX + "/art_1",
                        "execution-worker"));
        fixture.given(
                        collecting("a.txt"),
                        new ArtifactCollected(
                                UUID.randomUUID(),
                                "t1",
                                NOW,
                                1,
                                ID,
                                SANDBOX,
                                "prj_1",
                                "art_1",
                                "a.txt",
                                "a.txt",
                                3,
                                "ab".repeat(32),
                                "text/plain",
                                "k",
                                "execution-worker"))
                .when(artifact("art_2", "a.txt"))
                .expectNoEvents()
                .expectException(rejectedWith(CONFLICT, "artifact_exists"));
        fixture.given(collecting("a.txt"))
                .when(artifact("art_3", "other.txt"))
                .expectNoEvents()
                .expectException(rejectedWith(INVALID, "path_not_declared"));
        fixture.given(
                        collecting("a.txt"),
                        new CommandFinished(
                                UUID.randomUUID(),
                                "t1",
                                NOW,
                                1,
                                ID,
                                SANDBOX,
                                0,
                                "",
                                "",
                                false,
                                false,
                                false,
                                NOW.minusSeconds(1),
                                NOW,
                                1000,
                                "execution-worker"))
                .when(artifact("art_4", "a.txt"))
                .expectNoEvents()
                .expectException(rejectedWith(CONFLICT, "command_finished"));
    }

    @Test
    void theFinishCarriesTheCollectErrors() {
        Instant end = NOW.minusSeconds(1);
        List<CollectError> errors = List.of(new CollectError("b.txt", "file_not_found", "no such file"));
        fixture.given(collecting("a.txt", "b.txt"))
                .when(new RecordCommandFinished(
                        ID, 0, "", "", false, false, NOW.minusSeconds(2), end, "execution-worker", errors))
                .expectEvents(new CommandFinished(
                        UUID.randomUUID(),
                        "t1",
                        NOW,
                        1,
                        ID,
                        SANDBOX,
                        0,
                        "",
                        "",
                        false,
                        false,
                        false,
                        NOW.minusSeconds(2),
                        end,
                        1000,
                        "execution-worker",
                        errors));
    }

    private static final CommandFact.Run FACTS = new CommandFact.Run(
            ID, SANDBOX, "t1", null, "key_1", "echo hi", "/workspace", Map.of("X", "sealed:v1:x"), 60_000, null);

    private static CommandStarted directStart() {
        return new CommandStarted(
                UUID.randomUUID(),
                "t1",
                NOW.minusSeconds(5),
                1,
                ID,
                SANDBOX,
                "echo hi",
                "/workspace",
                Map.of("X", "sealed:v1:x"),
                60_000,
                null,
                "key_1",
                null,
                true);
    }

    @Test
    void aNodesAcceptedFactStartsTheCommandOnce() {
        fixture.givenNoPriorActivity()
                .when(new RecordCommandAccepted(ID, FACTS, NOW.minusSeconds(5)))
                .expectEvents(directStart());
        fixture.given(directStart())
                .when(new RecordCommandAccepted(ID, FACTS, NOW.minusSeconds(5)))
                .expectNoEvents();
    }

    @Test
    void aNodesExitFactFinishesItOnceAndSaysCancelled() {
        RecordCommandFinished exit = new RecordCommandFinished(
                ID, 137, "", "", false, false, NOW.minusSeconds(5), NOW.minusSeconds(4), "node-1", null, true);
        fixture.given(directStart())
                .when(exit)
                .expectEvents(new CommandFinished(
                        UUID.randomUUID(),
                        "t1",
                        NOW,
                        1,
                        ID,
                        SANDBOX,
                        137,
                        "",
                        "",
                        false,
                        false,
                        true,
                        NOW.minusSeconds(5),
                        NOW.minusSeconds(4),
                        1000,
                        "node-1"));
        fixture.given(
                        directStart(),
                        new CommandFinished(
                                UUID.randomUUID(),
                                "t1",
                                NOW,
                                1,
                                ID,
                                SANDBOX,
                                137,
                                "",
                                "",
                                false,
                                false,
                                true,
                                NOW.minusSeconds(5),
                                NOW.minusSeconds(4),
                                1000,
                                "node-1"))
                .when(exit)
                .expectNoEvents();
    }
}
