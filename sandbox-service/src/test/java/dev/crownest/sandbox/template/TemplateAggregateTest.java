package dev.crownest.sandbox.template;

import static dev.crownest.sandbox.Rejections.INVALID;
import static dev.crownest.sandbox.Rejections.rejectedWith;

import dev.crownest.contracts.api.TemplateStepLog;
import dev.crownest.contracts.event.TemplateEvent.TemplateBuildFailed;
import dev.crownest.contracts.event.TemplateEvent.TemplateBuildRequested;
import dev.crownest.contracts.event.TemplateEvent.TemplateBuilt;
import dev.crownest.contracts.event.TemplateEvent.TemplateDeleted;
import dev.crownest.contracts.node.TemplateBuildOutcome;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TemplateAggregateTest {
    private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");
    private static final List<String> RUN = List.of("echo hi > /etc/hi");
    private static final Map<String, String> FILES = Map.of("/opt/a", "A");
    private static final TemplateBuildRequested REQUESTED = new TemplateBuildRequested(
            UUID.randomUUID(), "ten_1", NOW, 1, "tpl-1", "tools", "base", "base", RUN, FILES, "key_1");
    private static final List<TemplateStepLog> STEPS =
            List.of(new TemplateStepLog(1, RUN.getFirst(), "", 0, 40, false));

    private AggregateTestFixture<TemplateAggregate> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(TemplateAggregate.class);
        fixture.registerInjectableResource(Clock.fixed(NOW, ZoneOffset.UTC));
        for (var type : List.of(
                TemplateBuildRequested.class, TemplateBuilt.class, TemplateBuildFailed.class, TemplateDeleted.class)) {
            fixture.registerIgnoredField(type, "eventId");
        }
    }

    @Test
    void aCreateRequestsTheBuild() {
        fixture.givenNoPriorActivity()
                .when(new CreateTemplate("tpl-1", "ten_1", "tools", "base", "base", RUN, FILES, "key_1"))
                .expectEvents(REQUESTED);
    }

    @Test
    void badInputIsRejectedWithoutEvents() {
        fixture.givenNoPriorActivity()
                .when(new CreateTemplate("tpl-1", "ten_1", "Tools!", "base", "base", RUN, FILES, "key_1"))
                .expectNoEvents()
                .expectException(rejectedWith(INVALID, "invalid_template_name"));
        fixture.givenNoPriorActivity()
                .when(new CreateTemplate(
                        "tpl-1", "ten_1", "tools", "base", "base", Collections.nCopies(51, "true"), FILES, "key_1"))
                .expectNoEvents()
                .expectException(rejectedWith(INVALID, "too_many_steps"));
        fixture.givenNoPriorActivity()
                .when(new CreateTemplate(
                        "tpl-1", "ten_1", "tools", "base", "base", RUN, Map.of("/proc/x", "a"), "key_1"))
                .expectNoEvents()
                .expectException(rejectedWith(INVALID, "invalid_path"));
    }

    @Test
    void aBuildIsRecordedOnce() {
        var built = new TemplateBuildOutcome(true, 4096, 9000, "node-1", STEPS, null, null);
        fixture.given(REQUESTED)
                .when(new RecordTemplateBuild("tpl-1", built))
                .expectEvents(new TemplateBuilt(
                        UUID.randomUUID(), "ten_1", NOW, 1, "tpl-1", "tools", 4096, 9000, "node-1", STEPS, "node-1"));
        fixture.given(
                        REQUESTED,
                        new TemplateBuilt(
                                UUID.randomUUID(),
                                "ten_1",
                                NOW,
                                1,
                                "tpl-1",
                                "tools",
                                4096,
                                9000,
                                "node-1",
                                STEPS,
                                "node-1"))
                .when(new RecordTemplateBuild("tpl-1", built))
                .expectNoEvents();
    }

    @Test
    void aFailedBuildNamesItsStep() {
        var failed = new TemplateBuildOutcome(false, 0, 900, "node-1", STEPS, 1, "step 1 (x) exited 2");
        fixture.given(REQUESTED)
                .when(new RecordTemplateBuild("tpl-1", failed))
                .expectEvents(new TemplateBuildFailed(
                        UUID.randomUUID(),
                        "ten_1",
                        NOW,
                        1,
                        "tpl-1",
                        "tools",
                        1,
                        "step 1 (x) exited 2",
                        STEPS,
                        "node-1"));
    }

    @Test
    void aDeleteHappensOnce() {
        fixture.given(REQUESTED)
                .when(new DeleteTemplate("tpl-1", "key_1"))
                .expectEvents(new TemplateDeleted(UUID.randomUUID(), "ten_1", NOW, 1, "tpl-1", "tools", "key_1"));
        fixture.given(REQUESTED, new TemplateDeleted(UUID.randomUUID(), "ten_1", NOW, 1, "tpl-1", "tools", "key_1"))
                .when(new DeleteTemplate("tpl-1", "key_1"))
                .expectNoEvents();
    }
}
