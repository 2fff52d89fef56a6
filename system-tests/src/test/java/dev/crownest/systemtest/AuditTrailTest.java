package dev.crownest.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The audit trail on the whole stack: a kill leaves a tombstone, the chain verifies, a replay equals the live read models. */
class AuditTrailTest {

    @Test
    void aKillLeavesATombstoneTheChainVerifiesAndReplayEqualsTheLiveReadModels() {
        PlatformClient tenant = SystemUnderTest.client();
        var created = tenant.post("/v1/sandboxes", Map.of("template", "base"));
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        String id = created.text("id");
        assertThat(tenant.delete("/v1/sandboxes/" + id).status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(15))
                .until(() -> tenant.get("/v1/audit/tombstones?resourceId=" + id)
                                .body()
                                .path("data")
                                .size()
                        == 1);
        JsonNode tombstone = tenant.get("/v1/audit/tombstones?resourceId=" + id)
                .body()
                .path("data")
                .get(0);
        assertThat(tombstone.path("resourceKind").asText()).isEqualTo("sandbox");
        assertThat(tombstone.path("action").asText()).isEqualTo("sandbox.killed");
        assertThat(tombstone.path("actor").asText()).startsWith("key_");
        assertThat(tombstone.path("reason").asText()).isEqualTo("requested");

        JsonNode verify = tenant.get("/v1/audit/verify").body();
        assertThat(verify.path("valid").asBoolean()).as(verify.toString()).isTrue();
        assertThat(verify.path("checked").asLong()).isPositive();

        // replay compares what the archived streams rebuild with sandbox-service's live read models
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    JsonNode replay = tenant.post("/v1/audit/replay", Map.of()).body();
                    assertThat(replay.path("chainValid").asBoolean())
                            .as(replay.toString())
                            .isTrue();
                    assertThat(replay.path("equal").asBoolean())
                            .as(replay.toString())
                            .isTrue();
                    assertThat(replay.path("checked").path("sandboxes").asLong())
                            .isPositive();
                });

        var csv = tenant.get("/v1/audit/export?format=csv");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.raw()).contains(id);
        assertThat(tenant.get("/v1/audit/export?format=xml").status()).isEqualTo(400);
        // an API key never administers: the operator's replay for any tenant needs the session
        assertThat(tenant.get("/v1/audit/events?from=yesterday").status()).isEqualTo(400);
    }
}
