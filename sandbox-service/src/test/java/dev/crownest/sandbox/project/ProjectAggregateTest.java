package dev.crownest.sandbox.project;

import static dev.crownest.sandbox.Rejections.INVALID;
import static dev.crownest.sandbox.Rejections.rejectedWith;

import dev.crownest.contracts.event.ProjectEvent.ProjectCreated;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProjectAggregateTest {
    private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");

    private AggregateTestFixture<ProjectAggregate> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(ProjectAggregate.class);
        fixture.registerInjectableResource(Clock.fixed(NOW, ZoneOffset.UTC));
        fixture.registerIgnoredField(ProjectCreated.class, "eventId");
    }

    @Test
    void createsAProjectOfTheTenantWithTheTrimmedName() {
        fixture.givenNoPriorActivity()
                .when(new CreateProject("prj_1", "ten_1", " web ", "adm_1"))
                .expectEvents(new ProjectCreated(UUID.randomUUID(), "ten_1", NOW, 1, "prj_1", "web", "adm_1"));
    }

    @Test
    void rejectsEmptyAndOverlongNames() {
        fixture.givenNoPriorActivity()
                .when(new CreateProject("prj_1", "ten_1", " ", "adm_1"))
                .expectNoEvents()
                .expectException(rejectedWith(INVALID, "invalid_name"));
        fixture.givenNoPriorActivity()
                .when(new CreateProject("prj_1", "ten_1", "p".repeat(101), "adm_1"))
                .expectNoEvents()
                .expectException(rejectedWith(INVALID, "invalid_name"));
        fixture.givenNoPriorActivity()
                .when(new CreateProject("prj_1", "ten_1", "p".repeat(100), "adm_1"))
                .expectEvents(
                        new ProjectCreated(UUID.randomUUID(), "ten_1", NOW, 1, "prj_1", "p".repeat(100), "adm_1"));
    }
}
