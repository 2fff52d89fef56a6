package dev.crownest.billing.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crownest.contracts.event.CommandEvent.CommandFinished;
import dev.crownest.contracts.event.NetworkMode;
import dev.crownest.contracts.event.QuotaEvent.HardCapBreached;
import dev.crownest.contracts.event.SandboxEvent.SandboxCreated;
import dev.crownest.contracts.event.SandboxEvent.SandboxExpired;
import dev.crownest.contracts.event.SandboxEvent.SnapshotStored;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What tenants are told of each platform event, and what they never are. */
class SourceEventsTest {
    static final Instant AT = Instant.parse("2026-12-07T10:00:00Z");

    @Test
    void aCreateTellsItsShapeButNeverItsEnvValues() {
        UUID id = UUID.randomUUID();
        WebhookEvent event = SourceEvents.webhookOf(new SandboxCreated(
                        id,
                        "t1",
                        AT,
                        1,
                        "sbx_1",
                        null,
                        "base",
                        60_000,
                        AT.plusSeconds(60),
                        NetworkMode.OFF,
                        List.of(),
                        1,
                        512,
                        1024,
                        Map.of("TOKEN", "sealed:v1:abc"),
                        Map.of("job", "42"),
                        "key_a"))
                .orElseThrow();
        assertThat(event.id()).isEqualTo("evt_" + id);
        assertThat(event.type()).isEqualTo("sandbox.created");
        assertThat(event.createdAt()).isEqualTo(AT);
        assertThat(event.data()).containsEntry("sandboxId", "sbx_1").containsEntry("metadata", Map.of("job", "42"));
        assertThat(event.data()).doesNotContainKeys("env", "projectId", "fromSnapshot");
        assertThat(event.data().toString()).doesNotContain("sealed");
    }

    @Test
    void aFinishedCommandTellsItsExitButNotItsOutput() {
        WebhookEvent event = SourceEvents.webhookOf(new CommandFinished(
                        UUID.randomUUID(),
                        "t1",
                        AT,
                        1,
                        "cmd_1",
                        "sbx_1",
                        1,
                        "out",
                        "err",
                        false,
                        true,
                        false,
                        AT,
                        AT,
                        5,
                        "key_a"))
                .orElseThrow();
        assertThat(event.type()).isEqualTo("command.finished");
        assertThat(event.data()).containsEntry("exitCode", 1).containsEntry("timedOut", true);
        assertThat(event.data().values()).doesNotContain("out", "err");
    }

    @Test
    void endingsBreachesAndEventsTenantsAreNotToldOf() {
        assertThat(SourceEvents.webhookOf(new SandboxExpired(UUID.randomUUID(), "t1", AT, 1, "sbx_1", "system:ttl"))
                        .orElseThrow()
                        .data())
                .containsEntry("cause", "expired");
        assertThat(SourceEvents.webhookOf(new HardCapBreached(
                                UUID.randomUUID(),
                                "t1",
                                AT,
                                1,
                                "p1",
                                "amountUsd",
                                BigDecimal.TEN,
                                BigDecimal.TEN,
                                "2026-12-01",
                                1L))
                        .orElseThrow()
                        .data())
                .containsEntry("level", "breached")
                .containsEntry("projectId", "p1");
        assertThat(SourceEvents.webhookOf(
                        new SnapshotStored(UUID.randomUUID(), "t1", AT, 1, "sbx_1", "snp_1", 10, "node")))
                .isEmpty();
        assertThat(SourceEvents.webhookOf(null)).isEmpty();
    }
}
