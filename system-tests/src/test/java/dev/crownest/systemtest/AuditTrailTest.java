package dev.crownest.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crownest.sdk.CreateSandboxOptions;
import dev.crownest.sdk.CrowNest;
import dev.crownest.sdk.Sandbox;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The audit trail on the whole stack: a kill leaves a tombstone, the chain verifies, a replay equals the live read models. */
class AuditTrailTest {

    @Test
    void aKillLeavesATombstoneTheChainVerifiesAndReplayEqualsTheLiveReadModels() {
        CrowNest tenant = SystemUnderTest.client();
        Sandbox sandbox = tenant.sandboxes().create(new CreateSandboxOptions().template("base"));
        String id = sandbox.id();
        assertThat(sandbox.kill().status()).isEqualTo("killed");

        await().atMost(Duration.ofSeconds(15))
                .until(() -> tenant.http()
                                .send("GET", "/v1/audit/tombstones?resourceId=" + id)
                                .json()
                                .path("data")
                                .size()
                        == 1);
        JsonNode tombstone = tenant.http()
                .send("GET", "/v1/audit/tombstones?resourceId=" + id)
                .json()
                .path("data")
                .get(0);
        assertThat(tombstone.path("resourceKind").asText()).isEqualTo("sandbox");
        assertThat(tombstone.path("action").asText()).isEqualTo("sandbox.killed");
        assertThat(tombstone.path("actor").asText()).startsWith("key_");
        assertThat(tombstone.path("reason").asText()).isEqualTo("requested");

        JsonNode verify = tenant.http().send("GET", "/v1/audit/verify").json();
        assertThat(verify.path("valid").asBoolean()).as(verify.toString()).isTrue();
        assertThat(verify.path("checked").asLong()).isPositive();

        // replay compares what the archived streams rebuild with sandbox-service's live read models
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    JsonNode replay = tenant.http()
                            .send("POST", "/v1/audit/replay", Map.of())
                            .json();
                    assertThat(replay.path("chainValid").asBoolean())
                            .as(replay.toString())
                            .isTrue();
                    assertThat(replay.path("equal").asBoolean())
                            .as(replay.toString())
                            .isTrue();
                    assertThat(replay.path("checked").path("sandboxes").asLong())
                            .isPositive();
                });

        var csv = tenant.http().send("GET", "/v1/audit/export?format=csv");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.text()).contains(id);
        assertThat(tenant.http().send("GET", "/v1/audit/export?format=xml").status())
                .isEqualTo(400);
        // an API key never administers: the operator's replay for any tenant needs the session
        assertThat(tenant.http().send("GET", "/v1/audit/events?from=yesterday").status())
                .isEqualTo(400);
    }
}
