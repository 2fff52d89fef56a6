package dev.crownest.node.preview;

import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.api.ApiError;
import dev.crownest.contracts.security.InternalHeaders;
import dev.crownest.contracts.security.ServiceTokens;
import dev.crownest.node.runsc.Runsc;
import dev.crownest.node.sandbox.LocalSandbox;
import dev.crownest.node.sandbox.NodeSandboxes;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The node's end of preview traffic: a TCP listener speaking the one request of an HTTP proxy tunnel,
 * {@code CONNECT <sandbox>.sandbox:<port> HTTP/1.1}. Once the relay inside the sandbox is connected it
 * answers 200 and copies bytes both ways until either side ends; the gateway speaks plain HTTP/1.1
 * (or WebSocket) to the sandbox's server through it. 404 for a sandbox this node does not run, 409 for
 * a paused one, 502 when nothing listens on the port. In the host name a sandbox id's {@code _} is
 * written {@code --} (host names have no underscore). Like the node's HTTP API it takes only callers
 * with a valid service token ({@link InternalHeaders#SERVICE_TOKEN} on the {@code CONNECT}): 401 in the
 * one error shape otherwise, before the sandbox is even looked up.
 */
@Component
public class PreviewTunnel implements SmartLifecycle {
    static final String HOST_SUFFIX = ".sandbox";
    private static final Logger log = LoggerFactory.getLogger(PreviewTunnel.class);
    private static final Pattern CONNECT = Pattern.compile("CONNECT ([A-Za-z0-9._-]+):(\\d{1,5}) HTTP/1\\.[01]");
    private static final int MAX_HEAD = 8192;
    private static final ObjectMapper JSON = new ObjectMapper().setSerializationInclusion(Include.NON_NULL);

    private final NodeSandboxes sandboxes;
    private final PortRelay relay;
    private final PreviewProperties properties;
    private final ServiceTokens tokens;
    private volatile ServerSocket server;

    public PreviewTunnel(NodeSandboxes sandboxes, Runsc runsc, PreviewProperties properties, ServiceTokens tokens) {
        this.sandboxes = sandboxes;
        this.tokens = tokens;
        this.relay = new PortRelay(runsc);
        this.properties = properties;
    }

    /** The port it listens on (the configured one, or the one the system chose for 0). */
    public int port() {
        ServerSocket listening = server;
        return listening == null ? -1 : listening.getLocalPort();
    }

    /** The sandbox id a tunnel host name stands for. */
    static String sandboxId(String host) {
        String name = host.endsWith(HOST_SUFFIX) ? host.substring(0, host.length() - HOST_SUFFIX.length()) : host;
        return name.replace("--", "_");
    }

    @Override
    public void start() {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(
                    new InetSocketAddress(InetAddress.getByName(properties.tunnelAddress()), properties.tunnelPort()),
                    256);
            server = socket;
        } catch (IOException e) {
            throw new IllegalStateException(
                    "preview tunnel cannot listen on " + properties.tunnelAddress() + ":" + properties.tunnelPort(), e);
        }
        log.info("preview tunnel listening on {}:{}", properties.tunnelAddress(), port());
        Thread.ofVirtual().name("preview-tunnel-accept").start(this::accept);
    }

    @Override
    public void stop() {
        ServerSocket listening = server;
        server = null;
        if (listening != null) {
            try {
                listening.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }

    private void accept() {
        ServerSocket listening;
        while ((listening = server) != null) {
            try {
                Socket client = listening.accept();
                Thread.ofVirtual().name("preview-tunnel").start(() -> serve(client));
            } catch (IOException e) {
                if (server != null) {
                    log.warn("preview tunnel accept failed: {}", e.toString());
                }
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            client.setTcpNoDelay(true);
            client.setSoTimeout((int) properties.connectTimeout().toMillis() * 2);
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            String head = readHead(in);
            Matcher connect = head == null
                    ? null
                    : CONNECT.matcher(head.lines().findFirst().orElse(""));
            if (connect == null || !connect.matches()) {
                refuse(out, "400 Bad Request");
                return;
            }
            if (tokens.verify(header(head, InternalHeaders.SERVICE_TOKEN)) instanceof ServiceTokens.Refused refused) {
                log.warn(
                        "preview tunnel refused a CONNECT from {}: {}",
                        client.getRemoteSocketAddress(),
                        refused.code());
                unauthenticated(out, refused);
                return;
            }
            int port = Integer.parseInt(connect.group(2));
            Optional<LocalSandbox> sandbox = sandboxes.find(sandboxId(connect.group(1)));
            if (sandbox.isEmpty() || port < 1 || port > 65535) {
                refuse(out, "404 Not Found");
                return;
            }
            if (sandbox.get().paused()) {
                refuse(out, "409 Conflict");
                return;
            }
            Process process;
            try {
                process = relay.open(sandbox.get(), port, properties.connectTimeout());
            } catch (PortRelay.PortClosed e) {
                refuse(out, "502 Bad Gateway");
                return;
            }
            client.setSoTimeout(0);
            out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            pipe(client, in, out, process);
        } catch (IOException e) {
            log.debug("preview tunnel ended: {}", e.toString());
        }
    }

    /** Copies both ways; whichever side ends first ends the other. */
    private static void pipe(Socket client, InputStream in, OutputStream out, Process process) {
        Thread upstream = Thread.ofVirtual().name("preview-tunnel-up").start(() -> {
            try (OutputStream toSandbox = process.getOutputStream()) {
                copy(in, toSandbox);
            } catch (IOException ignored) {
                // the caller or the relay went away
            }
        });
        try (InputStream fromSandbox = process.getInputStream()) {
            copy(fromSandbox, out);
        } catch (IOException ignored) {
            // the caller or the relay went away
        } finally {
            try {
                client.close();
            } catch (IOException ignored) {
                // closed
            }
            upstream.interrupt();
            try {
                process.getOutputStream().close();
                // Closing stdin ends the relay by itself (its writer ends, which stops its reader).
                if (!process.waitFor(2, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (IOException | InterruptedException e) {
                process.destroyForcibly();
            }
        }
    }

    private static void copy(InputStream from, OutputStream to) throws IOException {
        byte[] buffer = new byte[32 * 1024];
        int n;
        while ((n = from.read(buffer)) >= 0) {
            to.write(buffer, 0, n);
            to.flush();
        }
    }

    /** The request head up to the blank line, or null when it is too long or the caller left. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (head.size() < MAX_HEAD) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            state = switch (state) {
                case 0, 2 -> b == '\r' ? state + 1 : 0;
                case 1 -> b == '\n' ? 2 : 0;
                case 3 -> b == '\n' ? 4 : 0;
                default -> 0;
            };
            if (state == 4) {
                return head.toString(StandardCharsets.US_ASCII);
            }
        }
        return null;
    }

    /** The value of a header of the request head, or null. */
    static String header(String head, String name) {
        return head.lines()
                .skip(1)
                .filter(line -> line.regionMatches(true, 0, name + ":", 0, name.length() + 1))
                .map(line -> line.substring(name.length() + 1).strip())
                .findFirst()
                .orElse(null);
    }

    private static void unauthenticated(OutputStream out, ServiceTokens.Refused refused) throws IOException {
        byte[] body = JSON.writeValueAsBytes(ApiError.of("authentication", refused.code(), refused.reason(), null));
        out.write(("HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                        + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    private static void refuse(OutputStream out, String status) throws IOException {
        out.write(("HTTP/1.1 " + status + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
