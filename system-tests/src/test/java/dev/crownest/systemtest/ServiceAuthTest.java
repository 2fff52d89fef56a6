package dev.crownest.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.security.InternalHeaders;
import dev.crownest.contracts.security.ServiceTokens;
import dev.crownest.sdk.CrowNest;
import dev.crownest.sdk.RawResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Finding F1 of issue 15, reproduced against the whole stack: the internal services and the node's
 * preview tunnel answer 401 in the error shape to a request without a valid service credential (none,
 * forged with another key, expired), answer one signed with the stack's service secret, and listen on
 * loopback only, as do Kafka and PostgreSQL.
 */
class ServiceAuthTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static CrowNest api;
    private static String sandbox;

    @BeforeAll
    static void aSandboxWithAFileAndAnApp() {
        api = SystemUnderTest.client();
        RawResponse created = api.http().send("POST", "/v1/sandboxes", Map.of("template", "python", "ttlMs", 600_000));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        sandbox = created.field("id");
        RawResponse app = api.http()
                .send(
                        "POST",
                        "/v1/sandboxes/" + sandbox + "/commands",
                        Map.of(
                                "cmd",
                                "echo tenant-secret > /workspace/a.txt && (nohup python3 -m http.server 8000 >/dev/null 2>&1 &)"
                                        + " && for i in $(seq 50); do python3 -c \"import socket; socket.create_connection(('127.0.0.1', 8000))\""
                                        + " 2>/dev/null && exit 0; sleep 0.1; done; exit 1"));
        assertThat(app.json().path("exitCode").asInt()).as(app.text()).isZero();
    }

    @AfterAll
    static void killIt() {
        if (sandbox != null) {
            api.http().send("DELETE", "/v1/sandboxes/" + sandbox);
        }
    }

    /** F1: {@code GET :8081/internal/tenants} listed every tenant. */
    @Test
    void sandboxServiceRefusesTheTenantListWithoutACredential() throws Exception {
        URI tenants = SystemUnderTest.internalUrl("sandbox-service").resolve("/internal/tenants");

        HttpResponse<String> anonymous = get(tenants, null);
        assertUnauthenticated(anonymous, "service_token_missing");
        assertThat(anonymous.body()).doesNotContain("\"name\"");
        assertThat(get(tenants, SystemUnderTest.serviceToken("api-gateway")).statusCode())
                .isEqualTo(200);
    }

    /** F1: {@code GET :8083/node/v1/sandboxes/{id}/files?path=a.txt} read a tenant's file. */
    @Test
    void theNodeRefusesToReadATenantsFileWithoutAValidCredential() throws Exception {
        URI file = SystemUnderTest.internalUrl("node-agent")
                .resolve("/node/v1/sandboxes/" + sandbox + "/files?path=a.txt");

        assertUnauthenticated(get(file, null), "service_token_missing");
        assertUnauthenticated(get(file, forged()), "service_token_invalid");
        assertUnauthenticated(get(file, expired()), "service_token_expired");
        assertUnauthenticated(get(file, "Bearer " + SystemUnderTest.apiKey()), "service_token_malformed");
        HttpResponse<String> signed = get(file, SystemUnderTest.serviceToken("execution-worker"));
        assertThat(signed.statusCode()).isEqualTo(200);
        assertThat(signed.body()).isEqualTo("tenant-secret\n");
    }

    /** F1: {@code CONNECT sbx--{id}.sandbox:8000} on the node's tunnel reached a tenant's app. */
    @Test
    void theTunnelRefusesAConnectWithoutAValidCredential() throws Exception {
        URI node = SystemUnderTest.internalUrl("node-agent");
        int tunnel = JSON.readTree(
                        get(node.resolve("/node/v1/preview-tunnel"), SystemUnderTest.serviceToken("api-gateway"))
                                .body())
                .path("port")
                .asInt();
        assertThat(tunnel).isPositive();

        for (String token : new String[] {null, forged(), expired()}) {
            String answer = connect(tunnel, token);
            assertThat(answer).startsWith("HTTP/1.1 401");
            assertThat(answer).contains("\"type\":\"authentication\"");
            assertThat(answer).doesNotContain("Directory listing");
        }
        String signed = connect(tunnel, SystemUnderTest.serviceToken("api-gateway"));
        assertThat(signed).startsWith("HTTP/1.1 200 Connection established");
        assertThat(signed).contains("Directory listing");
    }

    /** The other internal services: every route but plain health is 401, and health tells only its status. */
    @Test
    void everyOtherInternalServiceRefusesWithoutACredential() throws Exception {
        Map<String, String> routes = Map.of(
                "execution-worker", "/actuator/env",
                "metering-service", "/internal/quotas",
                "billing-service", "/internal/billing/invoices",
                "audit-service", "/internal/audit/events");
        for (var route : routes.entrySet()) {
            URI base = SystemUnderTest.internalUrl(route.getKey());
            assertUnauthenticated(get(base.resolve(route.getValue()), null), "service_token_missing");
            assertUnauthenticated(get(base.resolve(route.getValue()), forged()), "service_token_invalid");
            assertUnauthenticated(get(base.resolve("/no/such/route"), null), "service_token_missing");
            HttpResponse<String> health = get(base.resolve("/actuator/health"), null);
            assertThat(health.statusCode()).as(route.getKey()).isEqualTo(200);
            assertThat(JSON.readTree(health.body()).properties())
                    .as("health reveals nothing but its status: " + health.body())
                    .extracting(Map.Entry::getKey)
                    .containsOnly("status");
        }
        // a signed call passes the door: what answers is the service itself (audit needs a tenant, and
        // says so: 401 missing_tenant), never a refusal of the service token
        HttpResponse<String> signed = get(
                SystemUnderTest.internalUrl("audit-service").resolve("/internal/audit/events"),
                SystemUnderTest.serviceToken("api-gateway"));
        assertThat(signed.body()).as(signed.body()).doesNotContain("service_token");
        assertThat(signed.statusCode()).as(signed.body()).isLessThan(500);
    }

    /** Internal listeners, the tunnel, Kafka and PostgreSQL listen on loopback; the gateway is the public one. */
    @Test
    void internalListenersAreOnLoopbackOnly() throws Exception {
        Set<Integer> ports = new HashSet<>();
        for (String service : List.of(
                "sandbox-service",
                "execution-worker",
                "node-agent",
                "metering-service",
                "billing-service",
                "audit-service")) {
            ports.add(SystemUnderTest.internalUrl(service).getPort());
        }
        ports.add(JSON.readTree(get(
                                SystemUnderTest.internalUrl("node-agent").resolve("/node/v1/preview-tunnel"),
                                SystemUnderTest.serviceToken("api-gateway"))
                        .body())
                .path("port")
                .asInt());
        ports.add(Integer.parseInt(SystemUnderTest.kafka().replaceAll(".*:", "")));
        ports.add(URI.create(SystemUnderTest.env("CROWNEST_TEST_PG_URL").replaceFirst("^jdbc:", ""))
                .getPort());

        Map<Integer, Set<String>> listening = listeningAddresses();
        for (int port : ports) {
            assertThat(listening.get(port)).as("port %d listens", port).isNotEmpty();
            assertThat(listening.get(port))
                    .as("port %d listens on loopback only", port)
                    .allMatch(address -> address.equals("127.0.0.1") || address.equals("::1"));
        }
    }

    private static void assertUnauthenticated(HttpResponse<String> answer, String code) throws IOException {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(401);
        JsonNode error = JSON.readTree(answer.body()).path("error");
        assertThat(error.path("type").asText()).isEqualTo("authentication");
        assertThat(error.path("code").asText()).isEqualTo(code);
    }

    private static HttpResponse<String> get(URI uri, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20));
        if (token != null) {
            request.header(InternalHeaders.SERVICE_TOKEN, token);
        }
        return HTTP.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A well-formed token under a key that is not the stack's. */
    private static String forged() {
        return new ServiceTokens("not-the-stack-secret-".repeat(3), Clock.systemUTC())
                .mint("api-gateway", Duration.ofMinutes(5));
    }

    /** A token of the stack's own key whose life ended a minute ago. */
    private static String expired() {
        return SystemUnderTest.serviceTokens(Clock.fixed(Instant.now().minusSeconds(360), ZoneOffset.UTC))
                .mint("api-gateway", Duration.ofMinutes(5));
    }

    /**
     * The finding's CONNECT, then (once connected) a GET of the app's root; answers what came back within
     * a few seconds.
     */
    private static String connect(int tunnel, String token) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", tunnel)) {
            socket.setSoTimeout(10_000);
            String host = sandbox.replace("_", "--") + ".sandbox:8000";
            String head = "CONNECT " + host + " HTTP/1.1\r\nHost: " + host + "\r\n"
                    + (token == null ? "" : InternalHeaders.SERVICE_TOKEN + ": " + token + "\r\n") + "\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write("GET / HTTP/1.0\r\nHost: app\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            int n;
            try {
                while (System.nanoTime() < deadline && (n = in.read(buffer)) >= 0) {
                    answer.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException enough) {
                // what came within the time is the answer
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    /** Listening TCP sockets of this machine by port, from /proc/net/tcp and tcp6. */
    private static Map<Integer, Set<String>> listeningAddresses() throws IOException {
        Map<Integer, Set<String>> byPort = new HashMap<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines = Files.readAllLines(Path.of(table));
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.trim().split("\\s+");
                if (!fields[3].equals("0A")) {
                    continue; // not LISTEN
                }
                String[] local = fields[1].split(":");
                byPort.computeIfAbsent(Integer.parseInt(local[1], 16), port -> new HashSet<>())
                        .add(address(local[0]));
            }
        }
        return byPort;
    }

    private static String address(String hex) {
        if (hex.length() == 8) { // IPv4, little-endian
            return Integer.parseInt(hex.substring(6, 8), 16) + "." + Integer.parseInt(hex.substring(4, 6), 16) + "."
                    + Integer.parseInt(hex.substring(2, 4), 16) + "." + Integer.parseInt(hex.substring(0, 2), 16);
        }
        if (hex.equals("00000000000000000000000001000000")) {
            return "::1";
        }
        if (hex.equals("0000000000000000FFFF00000100007F")) {
            return "127.0.0.1";
        }
        return hex.equals("00000000000000000000000000000000") ? "::" : hex;
    }
}
