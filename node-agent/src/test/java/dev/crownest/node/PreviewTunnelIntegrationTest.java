package dev.crownest.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.security.InternalHeaders;
import dev.crownest.contracts.security.ServiceTokens;
import dev.crownest.kit.auth.ServiceCredential;
import dev.crownest.node.preview.PreviewTunnel;
import dev.crownest.testing.IntegrationTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The preview tunnel against real runsc: a python http.server inside a sandbox of network {@code off}
 * (loopback only) is reached through {@code CONNECT}; refusals for unknown sandboxes and closed ports.
 */
@IntegrationTest
class PreviewTunnelIntegrationTest {
    static final Path STATE = TestSandboxes.stateDir("node-preview");

    @DynamicPropertySource
    static void node(DynamicPropertyRegistry registry) {
        TestSandboxes.register(registry, STATE);
    }

    @LocalServerPort
    int port;

    @Autowired
    ServiceCredential credential;

    @Autowired
    PreviewTunnel tunnel;

    @AfterAll
    static void removeState() throws Exception {
        TestSandboxes.remove(STATE);
    }

    @Test
    void aServerOnLoopbackInsideAnOfflineSandboxAnswersThroughTheTunnel() throws Exception {
        int tunnelPort = advertisedTunnelPort();
        assertThat(tunnelPort).isEqualTo(tunnel.port()).isPositive();
        try (var sandbox = TestSandboxes.start(port, "python", 1, 512, 0)) {
            String host = sandbox.id().replace("_", "--") + ".sandbox";
            assertThat(sandbox.exec(
                                    "echo hello-from-the-sandbox > /workspace/index.html && cd /workspace && "
                                            + "(nohup python3 -m http.server 8000 >/dev/null 2>&1 &) && "
                                            + "(nohup python3 -c \"import http.server as h; h.BaseHTTPRequestHandler.protocol_version='HTTP/1.1'; "
                                            + "h.ThreadingHTTPServer(('127.0.0.1', 8001), h.SimpleHTTPRequestHandler).serve_forever()\" >/dev/null 2>&1 &)",
                                    10_000)
                            .exitCode())
                    .isZero();

            // without the service credential, or with a forged one: 401 before the sandbox is looked up
            for (String unsigned : List.of(
                    "CONNECT " + host + ":8000 HTTP/1.1\r\n\r\n",
                    "CONNECT " + host + ":8000 HTTP/1.1\r\n" + InternalHeaders.SERVICE_TOKEN + ": "
                            + new ServiceTokens("f".repeat(40), Clock.systemUTC())
                                    .mint("api-gateway", Duration.ofMinutes(1))
                            + "\r\n\r\n")) {
                try (Socket socket = new Socket("127.0.0.1", tunnelPort)) {
                    socket.getOutputStream().write(unsigned.getBytes(StandardCharsets.US_ASCII));
                    String refused = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    assertThat(refused).startsWith("HTTP/1.1 401").contains("\"type\":\"authentication\"");
                }
            }

            // nothing listens yet, or never: 502 before any byte of the request goes anywhere
            assertThat(connect(tunnelPort, host, 9)).startsWith("HTTP/1.1 502");
            assertThat(connect(tunnelPort, "sbx--unknown.sandbox", 8000)).startsWith("HTTP/1.1 404");

            String answer = null;
            for (int i = 0; i < 100 && (answer == null || !answer.contains("200 OK")); i++) {
                answer = get(tunnelPort, host, 8000, "/index.html");
                Thread.sleep(100);
            }
            assertThat(answer).contains("HTTP/1.0 200 OK").contains("hello-from-the-sandbox");

            // figures: a tunnel (one runsc exec) per request, and requests on one kept-alive tunnel
            awaitListening(tunnelPort, host, 8001);
            List<Long> fresh = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                long t0 = System.nanoTime();
                assertThat(get(tunnelPort, host, 8000, "/index.html")).contains("hello-from-the-sandbox");
                fresh.add(System.nanoTime() - t0);
            }
            List<Long> kept = new ArrayList<>();
            try (Socket socket = open(tunnelPort, host, 8001)) {
                for (int i = 0; i < 20; i++) {
                    long t0 = System.nanoTime();
                    socket.getOutputStream()
                            .write("GET /index.html HTTP/1.1\r\nHost: localhost\r\n\r\n"
                                    .getBytes(StandardCharsets.US_ASCII));
                    assertThat(readResponse(socket.getInputStream())).contains("hello-from-the-sandbox");
                    kept.add(System.nanoTime() - t0);
                }
            }
            System.out.printf(
                    "preview tunnel: GET p50 %.1f ms with a new tunnel (runsc exec relay) per request, "
                            + "%.1f ms on one kept-alive tunnel%n",
                    p50(fresh), p50(kept));
        }
        // the sandbox is gone: its tunnel host is unknown
    }

    private int advertisedTunnelPort() throws Exception {
        HttpResponse<String> res = HttpClient.newHttpClient()
                .send(
                        credential
                                .sign(HttpRequest.newBuilder(
                                        URI.create("http://127.0.0.1:" + port + "/node/v1/preview-tunnel")))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).isEqualTo(200);
        return new ObjectMapper().readTree(res.body()).path("port").asInt();
    }

    private void awaitListening(int tunnelPort, String host, int target) throws Exception {
        for (int i = 0; i < 100; i++) {
            if (connect(tunnelPort, host, target).startsWith("HTTP/1.1 200")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("port " + target + " never listened");
    }

    /** The tunnel's answer to CONNECT alone. */
    private String connect(int tunnelPort, String host, int target) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", tunnelPort)) {
            socket.getOutputStream().write(connectHead(host, target).getBytes(StandardCharsets.US_ASCII));
            return head(socket.getInputStream());
        }
    }

    private Socket open(int tunnelPort, String host, int target) throws IOException {
        Socket socket = new Socket("127.0.0.1", tunnelPort);
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(connectHead(host, target).getBytes(StandardCharsets.US_ASCII));
        assertThat(head(socket.getInputStream())).startsWith("HTTP/1.1 200");
        return socket;
    }

    /** An HTTP/1.0 GET through a new tunnel: the whole answer (the server closes after it). */
    private String get(int tunnelPort, String host, int target, String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", tunnelPort)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(connectHead(host, target).getBytes(StandardCharsets.US_ASCII));
            String connected = head(socket.getInputStream());
            if (!connected.startsWith("HTTP/1.1 200")) {
                return connected;
            }
            out.write(("GET " + path + " HTTP/1.0\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The CONNECT of a gateway: signed with the service credential, as the tunnel requires. */
    private String connectHead(String host, int target) {
        return "CONNECT " + host + ":" + target + " HTTP/1.1\r\n" + InternalHeaders.SERVICE_TOKEN + ": "
                + credential.token() + "\r\n\r\n";
    }

    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** One response with a Content-Length body. */
    private static String readResponse(InputStream in) throws IOException {
        String head = head(in);
        int length = head.lines()
                .filter(l -> l.toLowerCase().startsWith("content-length:"))
                .map(l -> Integer.parseInt(l.substring(15).trim()))
                .findFirst()
                .orElse(0);
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static double p50(List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2) / 1e6;
    }
}
