package dev.crownest.systemtest;

import static dev.crownest.systemtest.TwoProjects.assertError;
import static dev.crownest.systemtest.TwoProjects.created;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.security.Scopes;
import dev.crownest.sdk.CreateSandboxOptions;
import dev.crownest.sdk.CrowNest;
import dev.crownest.sdk.Sandbox;
import dev.crownest.systemtest.WebhookReceiver.Delivery;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Signed webhooks end to end: a tenant admin registers an endpoint on 127.0.0.1 (the single-machine
 * stack allows loopback targets), a sandbox is created and killed through the public API, and the
 * endpoint receives its sandbox.* events, each signed with the endpoint's secret and delivered once.
 * API keys never administer webhooks, and the stack's own ports are never a target.
 *
 * <p>The kill test goes last: after a {@code kill -9}, billing's consumer group waits for the dead
 * member's session (up to 45 s) before new events flow again, while the deliveries already queued go
 * on from PostgreSQL; a test after it would wait on that rebalance.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebhooksTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    @Order(1)
    void aTenantAdminRegistersAnEndpointThatReceivesSignedSandboxEvents() throws Exception {
        TwoProjects tenant = new TwoProjects("webhooks");
        CrowNest key = tenant.key("all", Scopes.ALL, null);
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            Map<String, Object> body = Map.of("url", receiver.url(), "events", List.of("sandbox.*"));
            assertError(key.http().send("POST", "/v1/webhooks", body), 403, "session_required", "an API key");
            int gatewayPort = URI.create(SystemUnderTest.apiUrl()).getPort();
            assertError(
                    tenant.admin
                            .http()
                            .send(
                                    "POST",
                                    "/v1/webhooks",
                                    Map.of(
                                            "url",
                                            "http://127.0.0.1:" + gatewayPort + "/v1/sandboxes",
                                            "events",
                                            List.of("*"))),
                    400,
                    "webhook_target_refused",
                    "the stack's own gateway");
            assertError(
                    tenant.admin
                            .http()
                            .send("POST", "/v1/webhooks", Map.of("url", "ftp://127.0.0.1/x", "events", List.of("*"))),
                    400,
                    "invalid_webhook_url",
                    "not http(s)");

            JsonNode endpoint = created(tenant.admin.http().send("POST", "/v1/webhooks", body));
            String secret = endpoint.path("secret").asText();
            assertThat(secret).startsWith("whsec_");
            JsonNode listed =
                    tenant.admin.http().send("GET", "/v1/webhooks").json().path("data");
            assertThat(listed).hasSize(1);
            assertThat(listed.get(0).has("secret")).isFalse();

            Sandbox sandbox = key.sandboxes().create(new CreateSandboxOptions().template("base"));
            sandbox.kill();

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> types(receiver)
                            .containsAll(List.of("sandbox.created", "sandbox.started", "sandbox.ended")));
            for (Delivery delivery : receiver.deliveries()) {
                assertThat(WebhookReceiver.verified(secret, delivery, 300))
                        .as(delivery.body())
                        .isTrue();
                JsonNode event = JSON.readTree(delivery.body());
                assertThat(event.path("id").asText())
                        .isEqualTo(delivery.eventId())
                        .startsWith("evt_");
                assertThat(event.path("tenantId").asText()).isEqualTo(tenant.tenant);
                assertThat(event.path("data").path("sandboxId").asText()).isEqualTo(sandbox.id());
            }
            assertThat(receiver.deliveries().stream()
                            .map(Delivery::eventId)
                            .distinct()
                            .count())
                    .isEqualTo(receiver.deliveries().size());

            String id = endpoint.path("id").asText();
            // the receiver holds a delivery once its request arrived; billing marks it delivered once the 2xx
            // came back, a moment later
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(tenant.admin
                                    .http()
                                    .send("GET", "/v1/webhooks/" + id + "/deliveries")
                                    .json()
                                    .path("data"))
                            .isNotEmpty()
                            .allSatisfy(
                                    d -> assertThat(d.path("status").asText()).isEqualTo("delivered")));
            assertThat(tenant.admin.http().send("DELETE", "/v1/webhooks/" + id).status())
                    .isEqualTo(204);
            assertThat(tenant.admin.http().send("GET", "/v1/webhooks").json().path("data"))
                    .isEmpty();
        }
    }

    @Test
    @Order(2)
    void deliveriesPendingWhenBillingIsKilledAreDeliveredAfterItsRestartWithTheirEventIds() throws Exception {
        TwoProjects tenant = new TwoProjects("webhooks-restart");
        CrowNest key = tenant.key("all", Scopes.ALL, null);
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.answer(503);
            JsonNode endpoint = created(tenant.admin
                    .http()
                    .send("POST", "/v1/webhooks", Map.of("url", receiver.url(), "events", List.of("sandbox.*"))));
            String secret = endpoint.path("secret").asText();
            Sandbox sandbox = key.sandboxes().create(new CreateSandboxOptions().template("base"));
            sandbox.kill();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> types(receiver)
                            .containsAll(List.of("sandbox.created", "sandbox.started", "sandbox.ended")));

            SystemUnderTest.killNine("billing-service");
            assertThat(SystemUnderTest.crownest("restart", "billing-service")).isZero();
            receiver.answer(200);

            await().atMost(Duration.ofSeconds(60))
                    .until(() -> receiver.deliveries().stream()
                                    .filter(d -> d.answered() == 200)
                                    .count()
                            >= 3);
            Thread.sleep(2000);
            List<Delivery> taken = receiver.deliveries().stream()
                    .filter(d -> d.answered() == 200)
                    .toList();
            // each event taken once, with the id its refused attempts had
            assertThat(taken).extracting(Delivery::eventId).doesNotHaveDuplicates();
            assertThat(taken.stream().map(Delivery::eventId).toList())
                    .containsExactlyInAnyOrderElementsOf(receiver.deliveries().stream()
                            .map(Delivery::eventId)
                            .distinct()
                            .toList());
            assertThat(taken)
                    .allSatisfy(d ->
                            assertThat(WebhookReceiver.verified(secret, d, 300)).isTrue());
        }
    }

    private static List<String> types(WebhookReceiver receiver) {
        return receiver.deliveries().stream().map(Delivery::eventType).toList();
    }
}
