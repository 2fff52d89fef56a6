package dev.crownest.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.crownest.contracts.event.Topics;
import dev.crownest.sdk.CommandRecord;
import dev.crownest.sdk.CreateSandboxOptions;
import dev.crownest.sdk.CrowNest;
import dev.crownest.sdk.RawEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Commands on the data plane keep their records exactly once (issue 13, item 2): the gateway runs a
 * command on the node itself, the node's facts wait in its outbox, and sandbox-service records them.
 * Kafka is stopped inside the test, and the node agent is killed with SIGKILL during the outage.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CommandRecordsTest {
    private static final CrowNest TENANT = SystemUnderTest.client();
    private static String sandbox;

    @BeforeAll
    static void createSandbox() {
        // the Kafka outage and the node agent's restart take minutes on a loaded machine: outlive them
        sandbox = TENANT.sandboxes()
                .create(new CreateSandboxOptions().template("base").ttl(Duration.ofMillis(1_800_000)))
                .id();
    }

    @AfterAll
    static void killIt() {
        TENANT.http().send("DELETE", "/v1/sandboxes/" + sandbox);
    }

    @Test
    @Order(1)
    void aRecordIsOnCommandEventsWithinASecondOfTheExit() {
        try (TopicTail events = TopicTail.fromNow(SystemUnderTest.kafka(), Topics.COMMAND_EVENTS)) {
            events.poll(Duration.ofSeconds(1)); // assigned before the runs
            Map<String, Instant> exits = new HashMap<>();
            for (int i = 0; i < 5; i++) {
                var ran = TENANT.http()
                        .send("POST", "/v1/sandboxes/" + sandbox + "/commands", Map.of("cmd", "echo " + i));
                assertThat(ran.status()).as(ran.text()).isEqualTo(200);
                assertThat(ran.field("stdout")).isEqualTo(i + "\n");
                exits.put(ran.field("id"), Instant.parse(ran.field("finishedAt")));
            }
            Map<String, Instant> recorded = new HashMap<>();
            Instant deadline = Instant.now().plusSeconds(20);
            while (recorded.size() < exits.size() && Instant.now().isBefore(deadline)) {
                for (TopicTail.Received received : events.poll(Duration.ofMillis(500))) {
                    if (received.type().equals("CommandFinished")) {
                        recorded.putIfAbsent(received.event().path("commandId").asText(), received.at());
                    }
                }
            }
            assertThat(recorded).containsOnlyKeys(exits.keySet());
            exits.forEach((id, exit) -> {
                long lagMs = Duration.between(exit, recorded.get(id)).toMillis();
                System.out.printf("command %s: CommandFinished on command-events %d ms after its exit%n", id, lagMs);
                assertThat(lagMs).as("exit to CommandFinished of " + id).isLessThanOrEqualTo(1000);
            });
            // the record shows what the blocking answer showed
            String id = exits.keySet().iterator().next();
            CommandRecord record = TENANT.sandboxes().get(sandbox).commands().get(id);
            assertThat(record.status()).isEqualTo("finished");
            assertThat(record.exitCode()).isZero();
        }
    }

    @Test
    @Order(2)
    void commandsRunWhileKafkaIsDownAreRecordedOnceWhenItIsBack() throws Exception {
        assertThat(TENANT.http()
                        .send("POST", "/v1/sandboxes/" + sandbox + "/commands", Map.of("cmd", "true"))
                        .status())
                .isEqualTo(200);
        List<String> ids = new ArrayList<>();
        SystemUnderTest.stackScript("kill_pidfile \"$CROWNEST_HOME/pids/kafka.pid\"");
        try {
            for (int i = 0; i < 3; i++) {
                ids.add(runs("echo down " + i, "down " + i + "\n"));
            }
            List<RawEvent> streamed = new ArrayList<>();
            int status = CommandEvents.run(TENANT, sandbox, "echo streamed", streamed::add);
            assertThat(status).isEqualTo(200);
            assertThat(streamed).extracting(RawEvent::event).contains("stdout", "exit");
            // the node agent dies with facts in its outbox, and comes back while Kafka is still down
            SystemUnderTest.killNine("node-agent");
            assertThat(SystemUnderTest.crownest("restart", "node-agent")).isZero();
            // the restarted agent adopts the sandbox it finds running (Reconciliation); until then it
            // refuses runs there (404, nothing run, no fact), so the first run waits for that
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> TENANT.http()
                                    .send("GET", "/v1/sandboxes/" + sandbox + "/files/list?path=.")
                                    .status()
                            == 200);
            ids.add(runs("echo after restart", "after restart\n"));
        } finally {
            assertThat(SystemUnderTest.stackScript("kafka_start && wait_for_port kafka \"$KAFKA_PORT\" 120"))
                    .isZero();
        }
        // Axon's publisher backs off up to a minute while Kafka is away
        await().atMost(Duration.ofSeconds(150))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> ids.stream()
                        .allMatch(id -> "finished"
                                .equals(TENANT.http()
                                        .send("GET", "/v1/sandboxes/" + sandbox + "/commands/" + id)
                                        .field("status"))));
        assertThat(TENANT.http()
                        .send("GET", "/v1/sandboxes/" + sandbox + "/commands/" + ids.get(0))
                        .field("stdout"))
                .isEqualTo("down 0\n");

        try (Connection db = SystemUnderTest.database("crownest_sandbox")) {
            for (String id : ids) {
                assertThat(storedEvents(db, id))
                        .as("event store, " + id)
                        .containsOnly(Map.entry("CommandStarted", 1), Map.entry("CommandFinished", 1));
            }
        }
        Map<String, Map<String, Integer>> published = new HashMap<>();
        // a broker just back may not answer metadata at once
        try (TopicTail events = await().atMost(Duration.ofSeconds(120))
                .ignoreExceptions()
                .until(() -> TopicTail.fromBeginning(SystemUnderTest.kafka(), Topics.COMMAND_EVENTS), tail -> true)) {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ZERO).until(() -> {
                for (TopicTail.Received received : events.poll(Duration.ofMillis(500))) {
                    String id = received.event().path("commandId").asText();
                    if (ids.contains(id)) {
                        published.computeIfAbsent(id, k -> new HashMap<>()).merge(received.type(), 1, Integer::sum);
                    }
                }
                return published.size() == ids.size()
                        && published.values().stream().allMatch(types -> types.containsKey("CommandFinished"));
            });
            events.drain(Duration.ofSeconds(3)).forEach(received -> {
                String id = received.event().path("commandId").asText();
                if (ids.contains(id)) {
                    published.get(id).merge(received.type(), 1, Integer::sum);
                }
            });
        }
        for (String id : ids) {
            assertThat(published.get(id))
                    .as("command-events, " + id)
                    .containsOnly(Map.entry("CommandStarted", 1), Map.entry("CommandFinished", 1));
        }
        for (String id : ids) {
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThat(auditActions(id))
                            .as("audit, " + id)
                            .containsOnly(Map.entry("command.started", 1), Map.entry("command.finished", 1)));
        }
    }

    /** Runs {@code cmd} blocking; it must answer at once with its output, whatever Kafka does. */
    private static String runs(String cmd, String stdout) {
        long started = System.nanoTime();
        var ran = TENANT.http().send("POST", "/v1/sandboxes/" + sandbox + "/commands", Map.of("cmd", cmd));
        assertThat(ran.status()).as(ran.text()).isEqualTo(200);
        assertThat(ran.field("stdout")).isEqualTo(stdout);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        return ran.field("id");
    }

    private static Map<String, Integer> storedEvents(Connection db, String commandId) throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        try (PreparedStatement query =
                db.prepareStatement("SELECT payload_type FROM domain_event_entry WHERE aggregate_identifier = ?")) {
            query.setString(1, commandId);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    String type = rows.getString(1);
                    counts.merge(type.substring(type.lastIndexOf('$') + 1), 1, Integer::sum);
                }
            }
        }
        return counts;
    }

    private static Map<String, Integer> auditActions(String commandId) {
        Map<String, Integer> counts = new HashMap<>();
        TENANT.http()
                .send("GET", "/v1/audit/events?resourceId=" + commandId)
                .json()
                .path("data")
                .forEach(row -> counts.merge(row.path("action").asText(), 1, Integer::sum));
        return counts;
    }
}
