package dev.crownest.node.network;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.crownest.kit.auth.ServiceCredential;
import dev.crownest.node.TestSandboxes;
import dev.crownest.node.sandbox.NodeSandboxes;
import dev.crownest.node.sandbox.Reconciliation;
import dev.crownest.testing.IntegrationTest;
import dev.crownest.testing.TestInfrastructure;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Network modes with real gVisor sandboxes, real netns, veth and nftables: what a sandbox can and
 * cannot reach. No mocks. Needs root, runsc, ip and nft (as the node agent does).
 */
@IntegrationTest
class NetworkIntegrationTest {
    private static final String SUBNET = "10.213.0.0/16";
    private static final Path STATE = TestSandboxes.stateDir("node-network-test");
    private static final HttpServer ALLOWED;
    private static final ServerSocket LOOPBACK_SERVICE;
    private static final ServerSocket ANY_ADDRESS_SERVICE;
    private static final ServerSocket TLS_UPSTREAM;

    static {
        try {
            // Stands in for an allowlisted registry: reached only through the proxy's test override.
            ALLOWED = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            ALLOWED.createContext("/", exchange -> {
                byte[] body = ("hello from " + exchange.getRequestHeaders().getFirst("Host") + "\n")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            ALLOWED.start();
            // Host services a sandbox must never reach: one on loopback, one on every address.
            LOOPBACK_SERVICE = acceptForever(new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1")));
            ANY_ADDRESS_SERVICE = acceptForever(new ServerSocket(0));
            // Stands in for a TLS server: says what kind of first bytes it got.
            TLS_UPSTREAM = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
            Thread.ofVirtual().start(() -> {
                while (!TLS_UPSTREAM.isClosed()) {
                    try (var c = TLS_UPSTREAM.accept()) {
                        byte[] first = c.getInputStream().readNBytes(1);
                        c.getOutputStream()
                                .write((first.length == 1 && first[0] == 0x16
                                                ? "got a tls handshake\n"
                                                : "got nothing\n")
                                        .getBytes(StandardCharsets.UTF_8));
                    } catch (IOException e) {
                        // next
                    }
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void node(DynamicPropertyRegistry registry) {
        TestSandboxes.register(registry, STATE);
        registry.add("crownest.node.network.subnet", () -> SUBNET);
        registry.add(
                "crownest.node.network.proxy-hosts-override[allowed.test]",
                () -> "127.0.0.1:" + ALLOWED.getAddress().getPort());
        registry.add(
                "crownest.node.network.proxy-hosts-override[tls.test]",
                () -> "127.0.0.1:" + TLS_UPSTREAM.getLocalPort());
        registry.add(
                "crownest.node.network.proxy-hosts-override[other.test]",
                () -> "127.0.0.1:" + ALLOWED.getAddress().getPort());
    }

    @LocalServerPort
    int port;

    @Autowired
    ServiceCredential credential;

    @Autowired
    ObjectMapper json;

    @Autowired
    SandboxNetworks networks;

    @Autowired
    NodeSandboxes sandboxes;

    @Autowired
    Reconciliation reconciliation;

    private final HttpClient http = HttpClient.newHttpClient();
    private static final List<Runnable> cleanups = new ArrayList<>();

    @BeforeEach
    void dropTableAfterwards() {
        String table = networks.firewallTable();
        if (cleanups.isEmpty()) {
            cleanups.add(() -> {
                try {
                    new ProcessBuilder("nft", "delete", "table", "inet", table)
                            .start()
                            .waitFor();
                } catch (Exception ignored) {
                    // best effort
                }
            });
        }
    }

    private static final Path IP_FORWARD = Path.of("/proc/sys/net/ipv4/ip_forward");
    private static String ipForwardBefore;

    @BeforeAll
    static void requireTools() throws Exception {
        // The node turns IPv4 forwarding on for open sandboxes and leaves it on; the test puts it back.
        ipForwardBefore = Files.readString(IP_FORWARD).strip();
        for (String tool : List.of("ip", "nft", "runsc")) {
            assertThat(new ProcessBuilder("sh", "-c", "command -v " + tool)
                            .start()
                            .waitFor())
                    .as(tool + " installed")
                    .isZero();
        }
    }

    @AfterAll
    static void cleanUp() throws Exception {
        // Sandboxes first, then the table (the first cleanup).
        for (int i = cleanups.size() - 1; i >= 0; i--) {
            cleanups.get(i).run();
        }
        ALLOWED.stop(0);
        LOOPBACK_SERVICE.close();
        ANY_ADDRESS_SERVICE.close();
        TLS_UPSTREAM.close();
        Files.writeString(IP_FORWARD, ipForwardBefore);
        TestSandboxes.remove(STATE);
    }

    @Test
    void offHasLoopbackOnly() throws Exception {
        String id = create("off", List.of());
        Exec devices = exec(id, "cat /proc/net/dev");
        assertThat(devices.stdout).contains("lo:").doesNotContain("eth0");
        assertHostUnreachable(id, null);
        stop(id);
    }

    @Test
    void restrictedReachesListedHostsThroughTheProxyAndNothingElse() throws Exception {
        String id = create("restricted", List.of("allowed.test", "*.wild.test", "localhost", "tls.test"));
        SandboxNetwork net = networks.find(id).orElseThrow();
        assertThat(exec(id, "echo $HTTP_PROXY $https_proxy $NO_PROXY").stdout)
                .isEqualTo("http://%1$s:3128 http://%1$s:3128 localhost,127.0.0.1\n".formatted(net.hostAddress()));

        // A listed host answers through the proxy.
        String ok = viaProxy(id, "GET http://allowed.test/hello HTTP/1.1\\r\\nHost: allowed.test\\r\\n\\r\\n");
        assertThat(ok).startsWith("HTTP/1.1 200").contains("hello from allowed.test");
        // Not listed (though the node could reach it): 403 with a short text.
        String refused = viaProxy(id, "GET http://other.test/ HTTP/1.1\\r\\nHost: other.test\\r\\n\\r\\n");
        assertThat(refused).startsWith("HTTP/1.1 403").contains("not on this sandbox's allowlist");
        // A listed URI with another Host header: refused.
        assertThat(viaProxy(id, "GET http://allowed.test/ HTTP/1.1\\r\\nHost: other.test\\r\\n\\r\\n"))
                .startsWith("HTTP/1.1 403");
        // CONNECT to a host not listed: refused; to a listed one: the tunnel opens.
        assertThat(viaProxy(id, "CONNECT other.test:443 HTTP/1.1\\r\\nHost: other.test:443\\r\\n\\r\\n"))
                .startsWith("HTTP/1.1 403");
        assertThat(viaProxy(id, "CONNECT allowed.test:443 HTTP/1.1\\r\\nHost: allowed.test:443\\r\\n\\r\\n"))
                .startsWith("HTTP/1.1 200 Connection Established");
        // A wildcard entry lets a subdomain past the allowlist (here it then fails to resolve, which is refused too).
        assertThat(viaProxy(id, "GET http://a.wild.test/ HTTP/1.1\\r\\nHost: a.wild.test\\r\\n\\r\\n"))
                .startsWith("HTTP/1.1 403")
                .contains("does not resolve");
        // A tunnel to a listed host whose TLS ClientHello names another host: closed before anything goes through.
        String fronted = viaProxy(id, "CONNECT tls.test:443 HTTP/1.1\\r\\n\\r\\n" + clientHelloEscaped("other.test"));
        assertThat(fronted).isEqualTo("HTTP/1.1 200 Connection Established\r\n\r\n");
        String direct = viaProxy(id, "CONNECT tls.test:443 HTTP/1.1\\r\\n\\r\\n" + clientHelloEscaped("tls.test"));
        assertThat(direct)
                .as("the same hello with the right name goes through")
                .isEqualTo("HTTP/1.1 200 Connection Established\r\n\r\ngot a tls handshake\n");
        // A listed name that resolves to a denied range (localhost → 127.0.0.1, the node agent's port): refused.
        assertThat(viaProxy(id, "CONNECT localhost:" + port + " HTTP/1.1\\r\\n\\r\\n"))
                .startsWith("HTTP/1.1 403")
                .contains("denied address");
        // An address literal not on the list: refused.
        assertThat(viaProxy(id, "CONNECT 127.0.0.1:" + port + " HTTP/1.1\\r\\n\\r\\n"))
                .startsWith("HTTP/1.1 403");
        // Default registries are listed; they resolve nowhere here, which is refused too (never a hang).
        assertThat(viaProxy(id, "GET http://pypi.org/simple/ HTTP/1.1\\r\\nHost: pypi.org\\r\\n\\r\\n"))
                .matches("(?s)HTTP/1.1 (403|502).*");

        // The proxy port on the host end is the only thing reachable (the positive control of the checks below).
        assertThat(reaches(id, net.hostAddress(), 3128)).isTrue();
        assertHostUnreachable(id, net);
        // No route anywhere but the /30.
        assertThat(defaultRoutes(id)).isEmpty();
        stop(id);
        assertTornDown(net);
    }

    /**
     * runsc's netstack takes the address off the namespace's interface when it takes it over; a
     * restore finds it again only once the node re-addressed it. So a paused restricted sandbox comes
     * back on the same address, and the proxy answers it.
     */
    @Test
    void aRestrictedSandboxPausesAndResumesWithTheProxyWorking() throws Exception {
        String id = create("restricted", List.of("allowed.test"));
        SandboxNetwork net = networks.find(id).orElseThrow();
        HttpResponse<String> paused = post("/node/v1/sandboxes/" + id + "/pause", "{\"snapshotId\":\"snp_a\"}");
        assertThat(paused.statusCode()).as(paused.body()).isEqualTo(200);
        assertThat(json.readTree(paused.body()).path("snapshotId").asText()).isEqualTo("snp_a");
        HttpResponse<String> resumed = post("/node/v1/sandboxes/" + id + "/resume", "{\"snapshotId\":\"snp_a\"}");
        assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(200);
        assertThat(exec(id, "cat /proc/net/dev").stdout).contains("eth0");
        assertThat(viaProxy(id, "GET http://allowed.test/hello HTTP/1.1\\r\\nHost: allowed.test\\r\\n\\r\\n"))
                .startsWith("HTTP/1.1 200")
                .contains("hello from allowed.test");
        assertThat(networks.find(id).orElseThrow()).isEqualTo(net);
        stop(id);
        assertTornDown(net);
    }

    /**
     * A fork of a restricted sandbox gets a namespace and address of its own: its restored netstack
     * takes the new interface, and its commands get its own proxy. The source resumes on its own.
     */
    @Test
    void aForkOfARestrictedSandboxHasItsOwnAddressAndProxy() throws Exception {
        String source = create("restricted", List.of("allowed.test"));
        assertThat(post("/node/v1/sandboxes/" + source + "/pause", "{\"snapshotId\":\"snp_b\"}")
                        .statusCode())
                .isEqualTo(200);
        String fork = "sbx_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        cleanups.add(() -> sandboxes.stop(fork));
        HttpResponse<String> forked = post(
                "/node/v1/sandboxes/" + source + "/fork",
                json.writeValueAsString(Map.of(
                        "snapshotId",
                        "snp_b",
                        "spec",
                        Map.of(
                                "sandboxId",
                                fork,
                                "tenantId",
                                "t1",
                                "expiresAt",
                                Instant.now().plusSeconds(300).toString()))));
        assertThat(forked.statusCode()).as(forked.body()).isEqualTo(201);
        SandboxNetwork sourceNet = networks.find(source).orElseThrow();
        SandboxNetwork forkNet = networks.find(fork).orElseThrow();
        assertThat(forkNet.sandboxAddress()).isNotEqualTo(sourceNet.sandboxAddress());
        assertThat(exec(fork, "echo $HTTP_PROXY").stdout).isEqualTo("http://" + forkNet.hostAddress() + ":3128\n");
        assertThat(viaProxy(fork, "GET http://allowed.test/f HTTP/1.1\\r\\nHost: allowed.test\\r\\n\\r\\n"))
                .startsWith("HTTP/1.1 200");
        assertThat(post("/node/v1/sandboxes/" + source + "/resume", "").statusCode())
                .isEqualTo(200);
        assertThat(viaProxy(source, "GET http://allowed.test/s HTTP/1.1\\r\\nHost: allowed.test\\r\\n\\r\\n"))
                .startsWith("HTTP/1.1 200");
        stop(fork);
        stop(source);
    }

    @Test
    void anOpenSandboxIsRoutedAgainAfterAResume() throws Exception {
        String id = create("open", List.of());
        assertThat(post("/node/v1/sandboxes/" + id + "/pause", "").statusCode()).isEqualTo(200);
        assertThat(post("/node/v1/sandboxes/" + id + "/resume", "").statusCode())
                .isEqualTo(200);
        SandboxNetwork net = networks.find(id).orElseThrow();
        assertThat(defaultRoutes(id)).contains(net.hostAddress());
        try (Outside outside = Outside.start()) {
            assertThat(reaches(id, Outside.PUBLIC, Outside.PORT)).isTrue();
        }
        stop(id);
    }

    @Test
    void openIsRoutedAndMasqueradedButNeverToPrivateRangesOrTheHost() throws Exception {
        String id = create("open", List.of());
        SandboxNetwork net = networks.find(id).orElseThrow();
        assertThat(defaultRoutes(id)).contains(net.hostAddress()); // via the host end
        String table = HostCommandForTest.run("nft", "list", "table", "inet", networks.firewallTable());
        assertThat(table).contains("masquerade").contains("\"" + net.hostInterface() + "\"");
        assertHostUnreachable(id, net);
        // The host's resolver is out of reach (private or local): open sandboxes get public ones.
        assertThat(exec(id, "cat /etc/resolv.conf").stdout).isEqualTo("nameserver 1.1.1.1\nnameserver 8.8.8.8\n");

        // An "outside" host: a netns behind its own veth with a public-looking (TEST-NET-2) and a private address.
        try (Outside outside = Outside.start()) {
            assertThat(reaches(id, Outside.PUBLIC, Outside.PORT))
                    .as("public address through forward + masquerade")
                    .isTrue();
            assertThat(outside.lastPeer()).isEqualTo(Outside.HOST_SIDE); // masqueraded to the host's address
            assertThat(reaches(id, Outside.PRIVATE, Outside.PORT))
                    .as("private range")
                    .isFalse();
        }
        stop(id);
        assertTornDown(net);
    }

    @Test
    void reconciliationKeepsAdoptedNetworksAndRemovesOrphans() throws Exception {
        String id = create("restricted", List.of("allowed.test"));
        SandboxNetwork net = networks.find(id).orElseThrow();
        String orphanNetns = networks.namePrefix() + "-sbx_orphan";
        String orphanVeth = networks.namePrefix() + "h9999";
        HostCommandForTest.run("ip", "netns", "add", orphanNetns);
        HostCommandForTest.run(
                "ip", "link", "add", orphanVeth, "type", "veth", "peer", "name", "eth0", "netns", orphanNetns);

        reconciliation.reconcile();

        assertThat(Path.of("/run/netns", orphanNetns)).doesNotExist();
        assertThat(HostCommandForTest.run("ip", "-o", "link", "show")).doesNotContain(orphanVeth);
        assertThat(Path.of("/run/netns", net.netns())).exists();
        assertThat(viaProxy(id, "GET http://allowed.test/ HTTP/1.1\\r\\nHost: allowed.test\\r\\n\\r\\n"))
                .startsWith("HTTP/1.1 200");
        assertThat(reaches(id, hostAddress(), port)).isFalse();
        stop(id);
        assertTornDown(net);
    }

    @Test
    void createTimesOffVersusRestricted() throws Exception {
        for (String mode : List.of("off", "restricted", "off", "restricted")) {
            stop(create(mode, List.of())); // warm-up
        }
        Map<String, List<Long>> millis = Map.of("off", new ArrayList<>(), "restricted", new ArrayList<>());
        for (int i = 0; i < 10; i++) {
            for (String mode : List.of("off", "restricted")) {
                long t0 = System.nanoTime();
                String id = create(mode, List.of());
                millis.get(mode).add((System.nanoTime() - t0) / 1_000_000);
                stop(id);
            }
        }
        millis.forEach((mode, times) -> {
            List<Long> sorted = times.stream().sorted().toList();
            System.out.printf(
                    "NETWORK create %-10s p50=%d ms min=%d ms max=%d ms (n=%d)%n",
                    mode, sorted.get(sorted.size() / 2), sorted.get(0), sorted.get(sorted.size() - 1), sorted.size());
        });
    }

    private void assertHostUnreachable(String id, SandboxNetwork net) throws Exception {
        int pg = URI.create(TestInfrastructure.pgUrl().substring("jdbc:".length()))
                .getPort();
        int kafka = Integer.parseInt(
                TestInfrastructure.kafka().substring(TestInfrastructure.kafka().lastIndexOf(':') + 1));
        List<String> addresses = new ArrayList<>(List.of(hostAddress(), "127.0.0.1", "169.254.169.254"));
        if (net != null) {
            addresses.add(net.hostAddress());
        }
        for (String address : addresses) {
            for (int target :
                    List.of(port, pg, kafka, LOOPBACK_SERVICE.getLocalPort(), ANY_ADDRESS_SERVICE.getLocalPort(), 22)) {
                assertThat(reaches(id, address, target))
                        .as(address + ":" + target)
                        .isFalse();
            }
        }
    }

    private void assertTornDown(SandboxNetwork net) throws Exception {
        assertThat(Path.of("/run/netns", net.netns())).doesNotExist();
        assertThat(HostCommandForTest.run("ip", "-o", "link", "show")).doesNotContain(net.hostInterface() + ":");
        assertThat(HostCommandForTest.run("nft", "list", "table", "inet", networks.firewallTable()))
                .doesNotContain("\"" + net.hostInterface() + "\"");
        // (Not by connecting: this machine's outbound network accepts any TCP connection.)
        assertThat(HostCommandForTest.run("ss", "-Hltn")).doesNotContain(net.hostAddress() + ":3128");
    }

    /** A real TLS ClientHello naming this server, as printf escapes. */
    private static String clientHelloEscaped(String serverName) throws Exception {
        SSLEngine engine = SSLContext.getDefault().createSSLEngine(serverName, 443);
        engine.setUseClientMode(true);
        SSLParameters params = engine.getSSLParameters();
        params.setServerNames(List.of(new SNIHostName(serverName)));
        engine.setSSLParameters(params);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        StringBuilder escaped = new StringBuilder();
        for (int i = 0; i < out.position(); i++) {
            escaped.append(String.format("\\\\x%02x", out.get(i) & 0xff));
        }
        return escaped.toString();
    }

    /** Gateways of the sandbox's default routes, as dotted addresses. */
    private List<String> defaultRoutes(String id) throws Exception {
        String out = exec(id, "awk 'NR>1 && $2==\"00000000\" {print $3}' /proc/net/route")
                .stdout
                .strip();
        return out.isEmpty()
                ? List.of()
                : Arrays.stream(out.split("\n"))
                        .map(hex -> {
                            long le = Long.parseLong(hex, 16); // little-endian in /proc/net/route
                            return (le & 0xff) + "." + ((le >> 8) & 0xff) + "." + ((le >> 16) & 0xff) + "."
                                    + ((le >> 24) & 0xff);
                        })
                        .toList();
    }

    /** Whether a TCP connection from inside the sandbox to address:port succeeds within 3 s. */
    private boolean reaches(String id, String address, int targetPort) throws Exception {
        Exec e = exec(
                id,
                "timeout 3 bash -c 'exec 3<>/dev/tcp/" + address + "/" + targetPort
                        + "' 2>/dev/null && echo CONNECTED");
        return e.stdout.contains("CONNECTED");
    }

    /** Sends a raw request to the sandbox's proxy with bash's /dev/tcp and answers what came back. */
    private String viaProxy(String id, String request) throws Exception {
        Exec e = exec(
                id,
                "bash -c 'P=${HTTP_PROXY#http://}; exec 3<>/dev/tcp/${P%:*}/${P##*:} && printf \"" + request
                        + "\" >&3 && timeout 5 cat <&3'");
        // stderr after stdout: it shows in a failing assertion's message and cannot fake an answer's start.
        return e.stderr.isEmpty() ? e.stdout : e.stdout + "\n[stderr] " + e.stderr;
    }

    private static String hostAddress() throws Exception {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback() && !nic.getName().startsWith("cn")) {
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a instanceof Inet4Address) {
                        return a.getHostAddress();
                    }
                }
            }
        }
        throw new IllegalStateException("no non-loopback IPv4 address on this host");
    }

    private String create(String network, List<String> allowedHosts) throws Exception {
        String id = "sbx_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        HttpResponse<String> created = post(
                "/node/v1/sandboxes",
                json.writeValueAsString(Map.of(
                        "sandboxId",
                        id,
                        "tenantId",
                        "t1",
                        "template",
                        "base",
                        "cpu",
                        1,
                        "memoryMb",
                        512,
                        "network",
                        network,
                        "allowedHosts",
                        allowedHosts,
                        "expiresAt",
                        Instant.now().plusSeconds(300).toString())));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        cleanups.add(() -> sandboxes.stop(id));
        return id;
    }

    private void stop(String id) throws Exception {
        HttpResponse<String> res = http.send(
                credential
                        .sign(HttpRequest.newBuilder(uri("/node/v1/sandboxes/" + id)))
                        .DELETE()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).isEqualTo(204);
    }

    private record Exec(int exitCode, String stdout, String stderr) {}

    private Exec exec(String id, String cmd) throws Exception {
        HttpResponse<String> res = post(
                "/node/v1/sandboxes/" + id + "/exec",
                json.writeValueAsString(Map.of("commandId", "c", "cmd", cmd, "timeoutMs", 20_000)));
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        int exit = -1;
        for (String line : res.body().split("\n")) {
            JsonNode chunk = json.readTree(line);
            switch (chunk.path("stream").asText()) {
                case "stdout" -> out.append(decode(chunk));
                case "stderr" -> err.append(decode(chunk));
                case "exit" -> exit = chunk.path("exitCode").asInt();
                default -> throw new AssertionError("unexpected chunk " + line);
            }
        }
        return new Exec(exit, out.toString(), err.toString());
    }

    private static String decode(JsonNode chunk) {
        return new String(Base64.getDecoder().decode(chunk.path("data").asText()), StandardCharsets.UTF_8);
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(
                credential
                        .sign(HttpRequest.newBuilder(uri(path)))
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static ServerSocket acceptForever(ServerSocket server) {
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    server.accept().close();
                } catch (IOException e) {
                    return;
                }
            }
        });
        return server;
    }

    /** ip and nft from the test, to look at and to stage what the node agent must clean. */
    static final class HostCommandForTest {
        static String run(String... command) throws Exception {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
            return out;
        }
    }

    /**
     * Stands in for the internet: a network namespace behind its own veth (not one of the node's),
     * with a TEST-NET-2 address and a private one, running a TCP server that records who connected.
     */
    static final class Outside implements AutoCloseable {
        static final String PUBLIC = "198.51.100.2";
        static final String HOST_SIDE = "198.51.100.1";
        static final String PRIVATE = "172.31.255.2";
        static final int PORT = 8099;
        private final String netns =
                "crownest-test-outside-" + UUID.randomUUID().toString().substring(0, 8);
        private final String veth = "ctout" + UUID.randomUUID().toString().substring(0, 6);
        private final Path peers;
        private Process server;

        private Outside() throws IOException {
            peers = Files.createTempFile("outside-peers", ".txt");
        }

        static Outside start() throws Exception {
            Outside o = new Outside();
            HostCommandForTest.run("ip", "netns", "add", o.netns);
            HostCommandForTest.run(
                    "ip", "link", "add", o.veth, "type", "veth", "peer", "name", "eth0", "netns", o.netns);
            HostCommandForTest.run("ip", "addr", "add", HOST_SIDE + "/30", "dev", o.veth);
            HostCommandForTest.run("ip", "link", "set", o.veth, "up");
            HostCommandForTest.run("ip", "route", "add", "172.31.255.0/30", "via", PUBLIC, "dev", o.veth);
            HostCommandForTest.run("ip", "-n", o.netns, "addr", "add", PUBLIC + "/30", "dev", "eth0");
            HostCommandForTest.run("ip", "-n", o.netns, "addr", "add", PRIVATE + "/30", "dev", "eth0");
            HostCommandForTest.run("ip", "-n", o.netns, "link", "set", "eth0", "up");
            HostCommandForTest.run("ip", "-n", o.netns, "route", "add", "default", "via", HOST_SIDE);
            o.server = new ProcessBuilder(
                            "ip", "netns", "exec", o.netns, "python3", "-c", """
                    import socket,sys
                    s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("0.0.0.0", %d)); s.listen()
                    while True:
                        c,a=s.accept(); open(sys.argv[1],"w").write(a[0]); c.close()
                    """.formatted(PORT), o.peers.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            for (int i = 0;
                    i < 50
                            && !HostCommandForTest.run("ip", "netns", "exec", o.netns, "ss", "-ltn")
                                    .contains(":" + PORT);
                    i++) {
                Thread.sleep(100);
            }
            return o;
        }

        String lastPeer() throws IOException {
            return Files.readString(peers).strip();
        }

        @Override
        public void close() throws Exception {
            server.destroy();
            server.waitFor();
            new ProcessBuilder("ip", "link", "del", veth).start().waitFor();
            new ProcessBuilder("ip", "netns", "del", netns).start().waitFor();
            Files.deleteIfExists(peers);
        }
    }
}
