package dev.crownest.sandbox.preview;

import static dev.crownest.sandbox.Rejections.INVALID;
import static dev.crownest.sandbox.Rejections.rejectedWith;

import dev.crownest.contracts.event.PreviewEvent.PreviewClosed;
import dev.crownest.contracts.event.PreviewEvent.PreviewCreated;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PreviewAggregateTest {
    private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");
    private static final PreviewCreated CREATED =
            new PreviewCreated(UUID.randomUUID(), "ten_1", NOW, 1, "prv_1", "sbx_1", "prj_1", 8000, "key_1");

    private AggregateTestFixture<PreviewAggregate> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(PreviewAggregate.class);
        fixture.registerInjectableResource(Clock.fixed(NOW, ZoneOffset.UTC));
        fixture.registerIgnoredField(PreviewCreated.class, "eventId");
        fixture.registerIgnoredField(PreviewClosed.class, "eventId");
    }

    @Test
    void createsAnActivePreviewOfThePort() {
        fixture.givenNoPriorActivity()
                .when(new CreatePreview("prv_1", "sbx_1", "ten_1", "prj_1", 8000, "key_1"))
                .expectEvents(CREATED);
    }

    @Test
    void rejectsPortsOutsideTcpRange() {
        for (int port : new int[] {0, -1, 65536}) {
            fixture.givenNoPriorActivity()
                    .when(new CreatePreview("prv_1", "sbx_1", "ten_1", null, port, "key_1"))
                    .expectNoEvents()
                    .expectException(rejectedWith(INVALID, "invalid_port"));
        }
    }

    @Test
    void closesOnceWithItsReason() {
        fixture.given(CREATED)
                .when(new ClosePreview("prv_1", "sandbox_ended", "system:preview"))
                .expectEvents(new PreviewClosed(
                        UUID.randomUUID(), "ten_1", NOW, 1, "prv_1", "sbx_1", 8000, "sandbox_ended", "system:preview"));
        fixture.given(
                        CREATED,
                        new PreviewClosed(
                                UUID.randomUUID(), "ten_1", NOW, 1, "prv_1", "sbx_1", 8000, "closed", "key_1"))
                .when(new ClosePreview("prv_1", "closed", "key_1"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }
}
