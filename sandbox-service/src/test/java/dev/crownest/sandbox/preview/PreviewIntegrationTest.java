package dev.crownest.sandbox.preview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.security.InternalHeaders;
import dev.crownest.kit.auth.ServiceCredential;
import dev.crownest.sandbox.node.NodeStandIn;
import dev.crownest.testing.IntegrationTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.Assertions;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Previews against real PostgreSQL and Kafka: simultaneous creates of one port make one preview (one
 * event in the store), and a sandbox's end closes its previews.
 */
@IntegrationTest(database = "sandbox_preview_test_")
class PreviewIntegrationTest {

    /** sandbox-service starts a create on its node itself: this plays the node. */
    static final NodeStandIn NODE = new NodeStandIn();

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        // no heartbeats come from a stand-in node: it must not be lost while the test runs
        registry.add("crownest.nodes.heartbeat-timeout", () -> "1h");
        registry.add("crownest.metering.url", () -> "");
        registry.add("crownest.node-agent.url", NODE::url);
    }

    @LocalServerPort
    int port;

    @Autowired
    ServiceCredential credential;

    @Autowired
    ObjectMapper json;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    CommandGateway commands;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void simultaneousCreatesMakeOnePreviewAndItClosesWithItsSandbox() throws Exception {
        String tenant = "it-" + UUID.randomUUID();
        String sandboxId = runningSandbox(tenant);

        List<CompletableFuture<HttpResponse<String>>> racing = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            racing.add(send("POST", "/internal/sandboxes/" + sandboxId + "/previews", tenant, "{\"port\":3000}"));
        }
        List<Integer> statuses = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (var answer : racing) {
            HttpResponse<String> res = answer.get(30, TimeUnit.SECONDS);
            statuses.add(res.statusCode());
            ids.add(json.readTree(res.body()).path("id").asText());
        }
        assertThat(ids.stream().distinct().toList()).as(statuses + " " + ids).hasSize(1);
        assertThat(statuses).containsOnly(200, 201).containsOnlyOnce(201);
        String previewId = ids.getFirst();
        assertThat(jdbc.sql("SELECT count(*) FROM domain_event_entry WHERE payload_type LIKE '%PreviewCreated' "
                                + "AND convert_from(payload, 'UTF8') LIKE :sandbox")
                        .param("sandbox", "%" + sandboxId + "%")
                        .query(Long.class)
                        .single())
                .as("one PreviewCreated in the store")
                .isEqualTo(1);
        assertThat(jdbc.sql("SELECT count(*) FROM preview_view WHERE sandbox_id = :s")
                        .param("s", sandboxId)
                        .query(Long.class)
                        .single())
                .isEqualTo(1);

        // past the controller's check (as when two creates interleave): the unique index refuses the
        // second active preview in the projection, and its event is rolled back with it
        Assertions.assertThatThrownBy(() ->
                        commands.sendAndWait(new CreatePreview("prv_second", sandboxId, tenant, null, 3000, "key_it")))
                .isNotNull();
        assertThat(jdbc.sql("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = 'prv_second'")
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM preview_view WHERE sandbox_id = :s")
                        .param("s", sandboxId)
                        .query(Long.class)
                        .single())
                .isEqualTo(1);

        // another port is another preview; another tenant sees neither
        HttpResponse<String> other = send(
                        "POST", "/internal/sandboxes/" + sandboxId + "/previews", tenant, "{\"port\":3001}")
                .get();
        assertThat(other.statusCode()).isEqualTo(201);
        assertThat(send("GET", "/internal/sandboxes/" + sandboxId + "/previews", "x-" + tenant, null)
                        .get()
                        .statusCode())
                .isEqualTo(404);
        assertThat(send("POST", "/internal/sandboxes/" + sandboxId + "/previews", tenant, "{\"port\":0}")
                        .get()
                        .statusCode())
                .isEqualTo(400);
        // the gateway finds a preview by its host: the sandbox and the port
        JsonNode target =
                json.readTree(send("GET", "/internal/previews?sandboxId=" + sandboxId + "&port=3000", null, null)
                        .get()
                        .body());
        assertThat(target.path("previewId").asText()).isEqualTo(previewId);
        assertThat(target.path("tenantId").asText()).isEqualTo(tenant);
        assertThat(target.path("sandboxStatus").asText()).isEqualTo("running");
        // the node that started it (sandbox-service starts creates on the node itself)
        assertThat(target.path("nodeId").asText()).isEqualTo(NodeStandIn.NODE_ID);

        // the sandbox ends: every active preview of it closes
        assertThat(send("DELETE", "/internal/sandboxes/" + sandboxId, tenant, null)
                        .get()
                        .statusCode())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> jdbc.sql(
                                        "SELECT count(*) FROM preview_view WHERE sandbox_id = :s AND status = 'closed' AND close_reason = 'sandbox_ended'")
                                .param("s", sandboxId)
                                .query(Long.class)
                                .single()
                        == 2);
        JsonNode closed =
                json.readTree(send("GET", "/internal/previews?sandboxId=" + sandboxId + "&port=3000", null, null)
                        .get()
                        .body());
        assertThat(closed.path("previewId").asText()).isEqualTo(previewId);
        assertThat(closed.path("status").asText()).isEqualTo("closed");
        assertThat(send("GET", "/internal/previews?sandboxId=" + sandboxId + "&port=3999", null, null)
                        .get()
                        .statusCode())
                .isEqualTo(404);
        assertThat(closed.path("sandboxStatus").asText()).isEqualTo("killed");
        HttpResponse<String> late = send(
                        "POST", "/internal/sandboxes/" + sandboxId + "/previews", tenant, "{\"port\":3000}")
                .get();
        assertThat(late.statusCode()).isEqualTo(409);
        assertThat(json.readTree(late.body()).at("/error/code").asText()).isEqualTo("sandbox_not_running");
    }

    private String runningSandbox(String tenant) throws Exception {
        CompletableFuture<HttpResponse<String>> create = send("POST", "/internal/sandboxes", tenant, "{}");
        String sandboxId = await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> jdbc.sql("SELECT id FROM sandbox_view WHERE tenant_id = :t")
                                .param("t", tenant)
                                .query(String.class)
                                .optional()
                                .orElse(null),
                        id -> id != null);
        // sandbox-service starts it on the node (a stand-in here) and answers once it runs
        assertThat(create.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(201);
        return sandboxId;
    }

    private CompletableFuture<HttpResponse<String>> send(String method, String path, String tenant, String body) {
        HttpRequest.Builder request = credential
                .sign(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)))
                .timeout(Duration.ofSeconds(40))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (tenant != null) {
            request.header(InternalHeaders.TENANT_ID, tenant).header(InternalHeaders.ACTOR, "key_it");
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
