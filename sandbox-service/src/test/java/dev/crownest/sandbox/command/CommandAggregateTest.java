package dev.crownest.sandbox.command;

import dev.crownest.contracts.event.CommandEvent.CommandCancelRequested;
import dev.crownest.contracts.event.CommandEvent.CommandFinished;
import dev.crownest.contracts.event.CommandEvent.CommandStarted;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

import static dev.crownest.sandbox.shared.CommandRejected.Reason.CONFLICT;
import static dev.crownest.sandbox.shared.CommandRejected.Reason.INVALID;
import static dev.crownest.sandbox.shared.Rejections.rejectedWith;

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
    }

    private static RunCommand run(String cmd, long timeoutMs) {
        return new RunCommand(ID, SANDBOX, "t1", cmd, "/workspace", Map.of("X", "1"), timeoutMs, null, "key_1");
    }

    private static CommandStarted started() {
        return new CommandStarted(UUID.randomUUID(), "t1", NOW.minusSeconds(5), 1, ID, SANDBOX, "echo hi", "/workspace",
                Map.of("X", "1"), 60_000, null, "key_1");
    }

    @Test
    void startsACommand() {
        fixture.givenNoPriorActivity()
                .when(run("echo hi", 60_000))
                .expectEvents(new CommandStarted(UUID.randomUUID(), "t1", NOW, 1, ID, SANDBOX, "echo hi", "/workspace",
                        Map.of("X", "1"), 60_000, null, "key_1"));
    }

    @Test
    void rejectsBlankCommandsAndBadTimeouts() {
        fixture.givenNoPriorActivity().when(run("  ", 60_000)).expectNoEvents().expectException(rejectedWith(INVALID, "invalid_command"));
        fixture.givenNoPriorActivity().when(run(null, 60_000)).expectNoEvents().expectException(rejectedWith(INVALID, "invalid_command"));
        fixture.givenNoPriorActivity().when(run("ls", 0)).expectNoEvents().expectException(rejectedWith(INVALID, "invalid_timeout"));
        fixture.givenNoPriorActivity().when(run("ls", 3_600_001)).expectNoEvents().expectException(rejectedWith(INVALID, "invalid_timeout"));
    }

    @Test
    void finishesWithTheProcessTimesAndItsDuration() {
        Instant processStart = NOW.minusMillis(1500);
        Instant processEnd = NOW.minusMillis(250);
        fixture.given(started())
                .when(new RecordCommandFinished(ID, 3, "out", "err", false, false, processStart, processEnd, "execution-worker"))
                .expectEvents(new CommandFinished(UUID.randomUUID(), "t1", NOW, 1, ID, SANDBOX, 3, "out", "err",
                        false, false, false, processStart, processEnd, 1250, "execution-worker"));
    }

    @Test
    void finishesOnlyOnce() {
        Instant end = NOW.minusMillis(250);
        fixture.given(started(), new CommandFinished(UUID.randomUUID(), "t1", NOW, 1, ID, SANDBOX, 0, "", "",
                        false, false, false, NOW.minusSeconds(1), end, 750, "execution-worker"))
                .when(new RecordCommandFinished(ID, 1, "again", "", false, false, NOW.minusSeconds(1), end, "execution-worker"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void aCancelIsRecordedOnceAndTheKilledExitCountsAsCancelled() {
        CommandCancelRequested requested = new CommandCancelRequested(UUID.randomUUID(), "t1", NOW, 1, ID, SANDBOX, "key_2");
        fixture.given(started()).when(new CancelCommand(ID, "key_2")).expectEvents(requested);
        fixture.given(started(), requested).when(new CancelCommand(ID, "key_2")).expectSuccessfulHandlerExecution().expectNoEvents();
        Instant end = NOW.minusMillis(100);
        fixture.given(started(), requested)
                .when(new RecordCommandFinished(ID, 137, "", "", false, false, NOW.minusSeconds(2), end, "execution-worker"))
                .expectEvents(new CommandFinished(UUID.randomUUID(), "t1", NOW, 1, ID, SANDBOX, 137, "", "",
                        false, false, true, NOW.minusSeconds(2), end, 1900, "execution-worker"));
        // it ended on its own before the kill landed: not cancelled
        fixture.given(started(), requested)
                .when(new RecordCommandFinished(ID, 0, "done", "", false, false, NOW.minusSeconds(2), end, "execution-worker"))
                .expectEvents(new CommandFinished(UUID.randomUUID(), "t1", NOW, 1, ID, SANDBOX, 0, "done", "",
                        false, false, false, NOW.minusSeconds(2), end, 1900, "execution-worker"));
    }

    @Test
    void aFinishedCommandCannotBeCancelled() {
        fixture.given(started(), new CommandFinished(UUID.randomUUID(), "t1", NOW, 1, ID, SANDBOX, 0, "", "",
                        false, false, false, NOW.minusSeconds(1), NOW, 1000, "execution-worker"))
                .when(new CancelCommand(ID, "key_2"))
                .expectNoEvents()
                .expectException(rejectedWith(CONFLICT, "command_not_running"));
    }
}
