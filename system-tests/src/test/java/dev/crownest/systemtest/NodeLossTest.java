package dev.crownest.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crownest.contracts.event.Topics;
import dev.crownest.sdk.CrowNest;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A node that falls silent is lost (issue 16, item 6; issue 14's node death mid-second): its node agent
 * is stopped with SIGSTOP for longer than the heartbeat timeout (10 s). Its sandbox ends failed/node_lost
 * within the timeout and a few seconds, the registry shows the node down, the sandbox is billed up to
 * the node's last heartbeat (the ceiling of its running interval), and when the agent wakes up the node
 * is ready again and no longer runs the sandbox; a new create works.
 */
class NodeLossTest {
    private static final CrowNest TENANT = SystemUnderTest.client();
    private static final CrowNest OPERATOR = SystemUnderTest.operator();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void aSilentNodeIsLostItsSandboxEndsBilledToItsLastHeartbeatAndItReconcilesWhenBack() throws Exception {
        assertThat(OPERATOR.http().send("GET", "/v1/nodes/no-such-node").status())
                .isEqualTo(404);
        assertThat(OPERATOR.http().send("GET", "/v1/nodes/no-such-node").text()).contains("node_not_found");
        assertThat(TENANT.http().send("GET", "/v1/nodes").status()).isIn(401, 403);

        try (TopicTail lifecycle = TopicTail.fromNow(SystemUnderTest.kafka(), Topics.SANDBOX_EVENTS)) {
            lifecycle.poll(Duration.ofSeconds(1)); // assigned before the create
            var created =
                    TENANT.http().send("POST", "/v1/sandboxes", Map.of("template", "base", "cpu", 1, "memoryMb", 512));
            assertThat(created.status()).as(created.text()).isEqualTo(201);
            String id = created.field("id");
            String nodeId = TENANT.http().send("GET", "/v1/sandboxes/" + id).field("nodeId");
            // the heartbeat after the start counts it (one a second)
            JsonNode node = await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(200))
                    .until(
                            () -> OPERATOR.http()
                                    .send("GET", "/v1/nodes/" + nodeId)
                                    .json(),
                            n -> n.path("use").path("sandboxes").asInt() > 0);
            assertThat(node.path("state").asText()).isEqualTo("ready");
            assertThat(node.path("capacity").path("cpu").asInt()).isPositive();
            assertThat(node.path("templates").toString()).contains("\"base\"");
            Thread.sleep(2300); // it runs a while, into the middle of a second

            Instant stopped = Instant.now();
            signal("STOP");
            Instant failedSeen;
            try {
                await().atMost(TIMEOUT.plusSeconds(8))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> "failed"
                                .equals(TENANT.http()
                                        .send("GET", "/v1/sandboxes/" + id)
                                        .field("status")));
                failedSeen = Instant.now();
                assertThat(TENANT.http().send("GET", "/v1/sandboxes/" + id).field("failureReason"))
                        .isEqualTo("node_lost");
                assertThat(OPERATOR.http().send("GET", "/v1/nodes/" + nodeId).field("state"))
                        .isEqualTo("down");
            } finally {
                signal("CONT");
            }
            System.out.printf(
                    "node loss: told %d ms after the node agent stopped%n",
                    Duration.between(stopped, failedSeen).toMillis());
            // silence counts from the last heartbeat, which may have left up to a heartbeat (1 s) before the stop
            assertThat(Duration.between(stopped, failedSeen)).isGreaterThan(TIMEOUT.minusSeconds(1));

            // billed: the ceiling of [started, the node's last heartbeat], carried by the end fact
            Map<String, JsonNode> events = new HashMap<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                for (TopicTail.Received r : lifecycle.poll(Duration.ofMillis(200))) {
                    if (id.equals(r.event().path("sandboxId").asText())) {
                        events.put(r.type(), r.event());
                    }
                }
                return events.containsKey("SandboxStarted") && events.containsKey("SandboxFailed");
            });
            Instant started = Instant.parse(
                    events.get("SandboxStarted").path("occurredAt").asText());
            Instant lastHeartbeat =
                    Instant.parse(events.get("SandboxFailed").path("stoppedAt").asText());
            // a heartbeat goes out every second: the last one came within that of the stop
            assertThat(lastHeartbeat).isBetween(stopped.minusMillis(1500), stopped.plusMillis(500));
            long nanos = Duration.between(started, lastHeartbeat).toNanos();
            long expected = Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
            System.out.printf("node loss: ran %d ms to the last heartbeat, billed %d s%n", nanos / 1_000_000, expected);

            // back: ready again, and the sandbox it ended is stopped there
            awaitNode(nodeId, "ready");
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> !SystemUnderTest.runningOnNode().contains(id));
            // the seconds the node filled in after waking up are not billed: 1 vCPU, 512 MB is one compute unit
            await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(300))
                    .untilAsserted(() -> assertThat(usageOf(id)).isEqualByComparingTo(BigDecimal.valueOf(expected)));
            await().during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(usageOf(id)).isEqualByComparingTo(BigDecimal.valueOf(expected)));
        }
        // its quota was freed: a create works on the node that came back
        var again = TENANT.http().send("POST", "/v1/sandboxes", Map.of("template", "base"));
        assertThat(again.status()).as(again.text()).isEqualTo(201);
        assertThat(TENANT.http()
                        .send("DELETE", "/v1/sandboxes/" + again.field("id"))
                        .status())
                .isEqualTo(200);
    }

    private static void awaitNode(String nodeId, String state) {
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> OPERATOR.http().send("GET", "/v1/nodes/" + nodeId).json(),
                        n -> state.equals(n.path("state").asText()));
    }

    /** Sends the node agent {@code SIGSTOP} or {@code SIGCONT}, by its pid file. */
    private static void signal(String signal) throws Exception {
        String pid = Files.readString(Path.of(SystemUnderTest.env("CROWNEST_HOME"), "pids", "node-agent.pid"))
                .trim();
        assertThat(new ProcessBuilder("kill", "-" + signal, pid)
                        .inheritIO()
                        .start()
                        .waitFor())
                .isZero();
    }

    private static BigDecimal usageOf(String sandboxId) {
        return TENANT.http()
                .send("GET", "/v1/usage?sandboxId=" + sandboxId)
                .json()
                .path("totals")
                .path("computeUnitSeconds")
                .decimalValue();
    }
}
