package dev.crownest.node.network;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection from a restricted sandbox to its proxy: either {@code CONNECT host:port} (HTTPS and
 * anything else tunnelled; the TLS ClientHello's SNI, when there is one, must name the same host) or
 * a plain HTTP request in absolute form, whose Host header must agree with the URI. The host must be
 * on the sandbox's allowlist and resolve outside the denied ranges; otherwise 403 with a short text.
 * One request per connection: the upstream is told {@code Connection: close}, so a second request
 * cannot ride on an approved one to another host.
 */
final class ProxyExchange implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ProxyExchange.class);
    private static final int MAX_HEAD = 32 * 1024;
    private static final int HEAD_TIMEOUT_MS = 30_000;
    private static final List<String> HOP_HEADERS =
            List.of("proxy-connection", "proxy-authorization", "connection", "keep-alive", "te", "trailer", "upgrade");

    private final String sandboxId;
    private final Socket client;
    private final AllowList allowList;
    private final Upstreams upstreams;
    private final Duration connectTimeout;
    private final DeniedEgress denials;
    /** The destination asked for, once the request names it: what a refusal reports. */
    private String host = "";

    private int port;

    ProxyExchange(
            String sandboxId,
            Socket client,
            AllowList allowList,
            Upstreams upstreams,
            Duration connectTimeout,
            DeniedEgress denials) {
        this.sandboxId = sandboxId;
        this.client = client;
        this.allowList = allowList;
        this.upstreams = upstreams;
        this.connectTimeout = connectTimeout;
        this.denials = denials;
    }

    @Override
    public void run() {
        // The refusal is answered inside: a try-with-resources' catch would run after the socket closed.
        try (client) {
            exchange();
        } catch (IOException e) {
            // the sandbox or the upstream hung up: nothing to answer
        }
    }

    private void exchange() throws IOException {
        try {
            client.setSoTimeout(HEAD_TIMEOUT_MS);
            InputStream in = new BufferedInputStream(client.getInputStream());
            String head = readHead(in);
            if (head == null) {
                return;
            }
            String[] lines = head.split("\r\n");
            String[] requestLine = lines[0].split(" ");
            if (requestLine.length != 3 || !requestLine[2].startsWith("HTTP/1.")) {
                answer(400, "Bad Request", "not an HTTP/1.x proxy request");
                return;
            }
            if (requestLine[0].equals("CONNECT")) {
                tunnel(requestLine[1], in);
            } else {
                forward(requestLine, lines, in);
            }
        } catch (Upstreams.Refused e) {
            refuse(e.reason(), e.getMessage());
        }
    }

    private void tunnel(String authority, InputStream in) throws IOException, Upstreams.Refused {
        int colon = authority.lastIndexOf(':');
        if (colon <= 0 || authority.startsWith("[")) {
            answer(400, "Bad Request", "CONNECT needs host:port");
            return;
        }
        host = authority.substring(0, colon);
        port = port(authority.substring(colon + 1));
        check(host, port);
        InetSocketAddress target = upstreams.resolve(host, port);
        try (Socket upstream = connect(target, host)) {
            if (upstream == null) {
                return;
            }
            client.getOutputStream()
                    .write("HTTP/1.1 200 Connection Established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            client.getOutputStream().flush();
            // Look at the first TLS record: a ClientHello naming another host than the CONNECT's is refused.
            byte[] first = TlsClientHello.readRecord(in);
            String sni = TlsClientHello.serverName(first);
            if (sni != null && !sni.equalsIgnoreCase(host)) {
                denials.denied(sandboxId, host, port, DeniedEgress.HOST_MISMATCH);
                log.info(
                        "egress refused: sandbox={} host={} port={} reason=tls server name differs ({})",
                        sandboxId,
                        host,
                        port,
                        sni);
                return; // the tunnel is open already: closing is the only answer left
            }
            upstream.getOutputStream().write(first);
            relay(in, upstream);
        }
    }

    private void forward(String[] requestLine, String[] lines, InputStream in) throws IOException, Upstreams.Refused {
        URI uri;
        try {
            uri = new URI(requestLine[1]);
        } catch (URISyntaxException e) {
            answer(400, "Bad Request", "unreadable request target");
            return;
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            answer(400, "Bad Request", "plain HTTP requests need an absolute http:// URI; use CONNECT for https");
            return;
        }
        host = uri.getHost();
        port = uri.getPort() == -1 ? 80 : uri.getPort();
        List<String> headers = new ArrayList<>();
        String hostHeader = null;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            if (name.equals("host")) {
                hostHeader = lines[i].substring(colon + 1).trim();
            }
            if (!HOP_HEADERS.contains(name)) {
                headers.add(lines[i]);
            }
        }
        if (hostHeader != null && !hostOf(hostHeader).equalsIgnoreCase(host)) {
            refuse(DeniedEgress.HOST_MISMATCH, "Host header names another host");
            return;
        }
        check(host, port);
        InetSocketAddress target = upstreams.resolve(host, port);
        try (Socket upstream = connect(target, host)) {
            if (upstream == null) {
                return;
            }
            StringBuilder out = new StringBuilder();
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            out.append(requestLine[0])
                    .append(' ')
                    .append(path)
                    .append(uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                    .append(' ')
                    .append(requestLine[2])
                    .append("\r\n");
            if (hostHeader == null) {
                out.append("Host: ").append(uri.getRawAuthority()).append("\r\n");
            }
            headers.forEach(h -> out.append(h).append("\r\n"));
            out.append("Connection: close\r\n\r\n");
            upstream.getOutputStream().write(out.toString().getBytes(StandardCharsets.ISO_8859_1));
            relay(in, upstream);
        }
    }

    private void check(String host, int port) throws Upstreams.Refused {
        if (!allowList.allows(host)) {
            throw new Upstreams.Refused(
                    DeniedEgress.NOT_ALLOWLISTED, "host '" + host + "' is not on this sandbox's allowlist");
        }
        if (port < 1 || port > 65535) {
            throw new Upstreams.Refused(DeniedEgress.BAD_PORT, "bad port");
        }
    }

    private Socket connect(InetSocketAddress target, String host) throws IOException {
        Socket upstream = new Socket();
        try {
            upstream.connect(target, (int) connectTimeout.toMillis());
            return upstream;
        } catch (IOException e) {
            upstream.close();
            log.info(
                    "egress failed: sandbox={} host={} port={} reason=upstream unreachable",
                    sandboxId,
                    host,
                    target.getPort());
            answer(502, "Bad Gateway", "cannot reach " + host);
            return null;
        }
    }

    /** Both directions until either side is done; then everything closes. */
    private void relay(InputStream clientIn, Socket upstream) throws IOException {
        client.setSoTimeout(0);
        Thread up = Thread.ofVirtual().start(() -> {
            try {
                clientIn.transferTo(upstream.getOutputStream());
                upstream.shutdownOutput();
            } catch (IOException ignored) {
                // one side closed: the other copy ends too
            }
        });
        try {
            upstream.getInputStream().transferTo(client.getOutputStream());
        } catch (IOException ignored) {
            // as above
        } finally {
            upstream.close();
            client.close();
            up.interrupt();
        }
    }

    private void refuse(String reason, String text) {
        denials.denied(sandboxId, host, port, reason);
        log.info("egress refused: sandbox={} host={} port={} reason={}", sandboxId, host, port, text);
        answer(403, "Forbidden", "crownest egress proxy: " + text);
    }

    private void answer(int status, String phrase, String text) {
        byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
        String head =
                "HTTP/1.1 " + status + " " + phrase + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
                        + body.length + "\r\nConnection: close\r\n\r\n";
        try {
            OutputStream out = client.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
        } catch (IOException ignored) {
            // the sandbox went away
        }
    }

    /** The request head up to the blank line, or null if the client closed first. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            if (head.size() >= MAX_HEAD) {
                throw new IOException("request head too large");
            }
            head.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
                    ? state + 1
                    : b == '\r' ? 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static String hostOf(String hostHeader) {
        int colon = hostHeader.lastIndexOf(':');
        return colon > 0 && !hostHeader.endsWith("]") ? hostHeader.substring(0, colon) : hostHeader;
    }

    private static int port(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
