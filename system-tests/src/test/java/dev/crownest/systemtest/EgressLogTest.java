package dev.crownest.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crownest.sdk.CommandResult;
import dev.crownest.sdk.CreateSandboxOptions;
import dev.crownest.sdk.CrowNest;
import dev.crownest.sdk.Sandbox;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Egress visibility (issue 15, item 8): a restricted sandbox's connections to a host not on its
 * allowlist are refused by the node's egress proxy, and the tenant reads them, counted, at
 * {@code GET /v1/sandboxes/{id}/egress}: host, port, reason, never the request's path or body. The
 * host resolves nowhere ({@code .invalid}): nothing leaves the machine.
 */
class EgressLogTest {
    private static final int ATTEMPTS = 30;

    @Test
    void refusedConnectionsAreRecordedPerDestinationAndReadable() {
        CrowNest api = SystemUnderTest.client();
        Sandbox sandbox = api.sandboxes()
                .create(new CreateSandboxOptions()
                        .template("base")
                        .network("restricted")
                        .allowedHosts(List.of("allowed.invalid")));
        String id = sandbox.id();
        try {
            // curl goes through the proxy by the sandbox's HTTP_PROXY; a bounded loop of refusals
            CommandResult tries = sandbox.commands()
                    .run("for i in $(seq 1 " + ATTEMPTS + "); do curl -s -o /dev/null -w '%{http_code} ' "
                            + "http://denied.invalid:81/secret-path-of-the-request; done");
            assertThat(tries.stdout()).as(tries.toString()).contains("403");

            JsonNode[] rows = {null};
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        var log = api.http().send("GET", "/v1/sandboxes/" + id + "/egress");
                        assertThat(log.status()).as(log.text()).isEqualTo(200);
                        rows[0] = log.json().path("data");
                        return total(rows[0]) >= ATTEMPTS;
                    });
            System.out.printf("egress log: %d rows for %d refusals: %s%n", rows[0].size(), ATTEMPTS, rows[0]);
            assertThat(total(rows[0])).isEqualTo(ATTEMPTS);
            assertThat(rows[0].size())
                    .as("counted per window, not one row per attempt")
                    .isLessThan(ATTEMPTS / 3);
            for (JsonNode row : rows[0]) {
                assertThat(row.path("host").asText()).isEqualTo("denied.invalid");
                assertThat(row.path("port").asInt()).isEqualTo(81);
                assertThat(row.path("reason").asText()).isEqualTo("not_allowlisted");
                assertThat(row.path("firstAt").asText()).isNotBlank();
            }
            assertThat(rows[0].toString()).doesNotContain("secret-path-of-the-request");
            // another sandbox id is not found, as on every sandbox route
            assertThat(api.http()
                            .send("GET", "/v1/sandboxes/sbx_doesnotexist0000000/egress")
                            .status())
                    .isEqualTo(404);
        } finally {
            sandbox.kill();
        }
    }

    private static long total(JsonNode rows) {
        long sum = 0;
        for (JsonNode row : rows) {
            if (row.path("host").asText().equals("denied.invalid")) {
                sum += row.path("count").asLong();
            }
        }
        return sum;
    }
}
