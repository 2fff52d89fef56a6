package dev.crownest.gateway;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.event.KeyEvent;
import dev.crownest.contracts.event.Topics;
import dev.crownest.contracts.security.Scopes;
import dev.crownest.gateway.key.SecretHash;
import dev.crownest.testing.IntegrationTest;
import dev.crownest.testing.IntegrationTest.DatabaseAccess;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The gateway against a real Kafka broker, with a stand-in HTTP server in place of the internal
 * services so the forwarded calls can be inspected, and a stand-in node agent. Keys are random per
 * test, so the shared {@code key-events} topic can hold anything else. Each test class of a feature
 * extends this and gets a gateway of its own.
 */
@IntegrationTest(database = "gateway_test_", access = DatabaseAccess.R2DBC)
abstract class GatewayWithStandIns {

    static final ObjectMapper JSON = new ObjectMapper();
    static final StandInService SERVICES = new StandInService();
    static final StandInNode NODE = new StandInNode();
    /** Published before the gateway starts: it must work on the first request once the gateway is ready. */
    static final String BOOT_KEY = "cn_live_" + UUID.randomUUID().toString().replace("-", "");

    static final String BOOT_TENANT = "t_" + UUID.randomUUID();
    static final String ADMIN_TOKEN = "cn_admin_" + UUID.randomUUID().toString().replace("-", "");

    /** The stand-ins serve every class of the run (each class's gateway is told their URLs) and stop at its end. */
    @RegisterExtension
    static final BeforeAllCallback STOP_STAND_INS_AT_THE_END = context -> context.getRoot()
            .getStore(ExtensionContext.Namespace.GLOBAL)
            .getOrComputeIfAbsent(GatewayWithStandIns.class, key -> (ExtensionContext.Store.CloseableResource) () -> {
                SERVICES.close();
                NODE.close();
            });

    @Autowired
    WebTestClient http;

    @DynamicPropertySource
    static void standIns(DynamicPropertyRegistry registry) {
        registry.add("crownest.sandbox-service.url", SERVICES::url);
        registry.add("crownest.metering.url", SERVICES::url);
        registry.add("crownest.audit.url", GatewayWithStandIns::closedPortUrl);
        registry.add("crownest.billing.url", SERVICES::url);
        registry.add("crownest.node-agent.url", NODE::url);
        // low enough for a test to cross, high enough for every other test's few calls per key
        registry.add("crownest.rate-limit.requests-per-second", () -> "20");
        registry.add("crownest.rate-limit.burst", () -> "40");
        registry.add("crownest.bootstrap.admin-token-hash", () -> SecretHash.of(ADMIN_TOKEN));
        // Polls that read only the status leave their body unread, which holds a graceful shutdown for its
        // whole 30 s: once per class, as each class closes its gateway.
        registry.add("server.shutdown", () -> "immediate");
        publishKey(BOOT_KEY, "key_" + UUID.randomUUID(), BOOT_TENANT, Scopes.ALL, null);
    }

    @BeforeEach
    void gatewayIsReady() {
        SERVICES.reset();
        // a loaded machine can take longer than the client's 5 s to answer the first request: ask again
        await().atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .untilAsserted(() -> http.get()
                        .uri("/actuator/health")
                        .exchange()
                        .expectStatus()
                        .isOk());
    }

    /** Publishes a key and waits until the gateway knows it. */
    String liveKey(String keyId, String tenant, List<String> scopes, String projectId) {
        String key = "cn_live_" + UUID.randomUUID().toString().replace("-", "");
        publishKey(key, keyId, tenant, scopes, projectId);
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> http.method(HttpMethod.GET)
                                .uri("/v1/sandboxes")
                                .header("x-api-key", key)
                                .exchange()
                                .returnResult(byte[].class)
                                .getStatus()
                                .value()
                        != 401);
        return key;
    }

    private static void publishKey(String key, String keyId, String tenant, List<String> scopes, String projectId) {
        TestKafka.send(
                Topics.KEY_EVENTS,
                keyId,
                new KeyEvent.ApiKeyCreated(
                        UUID.randomUUID(),
                        tenant,
                        Instant.now(),
                        1,
                        keyId,
                        "test key",
                        scopes,
                        projectId,
                        SecretHash.of(key),
                        "operator"));
    }

    private static String closedPortUrl() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
