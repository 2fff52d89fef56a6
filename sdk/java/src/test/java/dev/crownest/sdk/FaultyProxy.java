package dev.crownest.sdk;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A proxy on 127.0.0.1 in front of the real gateway that breaks what a network breaks: it answers a
 * status (503, 429) with {@code Retry-After}, or forwards a request and drops the connection once the
 * answer began. Every other request goes to the gateway as it is, its answer piped back. One request
 * per connection ({@code Connection: close} upstream), so each request is looked at.
 */
final class FaultyProxy implements AutoCloseable {

    /** One fault: what it matches, what it does, how often; {@code seen} counts the requests it took. */
    static final class Fault {
        final String method;
        final Pattern path;
        final int status; // 0: drop the connection after forwarding
        final int retryAfterSeconds;
        final AtomicInteger times;
        final AtomicInteger seen = new AtomicInteger();

        private Fault(String method, String path, int status, int retryAfterSeconds, int times) {
            this.method = method;
            this.path = Pattern.compile(path);
            this.status = status;
            this.retryAfterSeconds = retryAfterSeconds;
            this.times = new AtomicInteger(times);
        }

        /** Answers {@code status} with {@code Retry-After: retryAfterSeconds}, {@code times} times. */
        static Fault status(String method, String path, int status, int retryAfterSeconds, int times) {
            return new Fault(method, path, status, retryAfterSeconds, times);
        }

        /** Forwards, then drops the connection when the answer begins, {@code times} times. */
        static Fault drop(String method, String path, int times) {
            return new Fault(method, path, 0, 0, times);
        }
    }

    final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final URI upstream;
    private final ServerSocket server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "faulty-proxy");
        t.setDaemon(true);
        return t;
    });

    FaultyProxy(String upstreamUrl, Fault... faults) throws IOException {
        this.upstream = URI.create(upstreamUrl);
        this.faults.addAll(List.of(faults));
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        pool.submit(this::accept);
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                pool.submit(() -> serve(client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            String head = readHead(in);
            String[] requestLine = head.substring(0, head.indexOf("\r\n")).split(" ");
            Fault fault = faults.stream()
                    .filter(f -> f.method.equals(requestLine[0])
                            && f.path.matcher(requestLine[1]).find())
                    .filter(f -> f.times.getAndUpdate(n -> Math.max(0, n - 1)) > 0)
                    .findFirst()
                    .orElse(null);
            if (fault != null) {
                fault.seen.incrementAndGet();
            }
            if (fault != null && fault.status > 0) {
                drainBody(head, in);
                String body = "{\"error\":{\"type\":\"unavailable\",\"code\":\"no_capacity\",\"message\":\"injected\","
                        + "\"requestId\":\"req_proxy\"}}";
                client.getOutputStream()
                        .write(("HTTP/1.1 " + fault.status + " Injected\r\ncontent-type: application/json\r\n"
                                        + "retry-after: " + fault.retryAfterSeconds + "\r\ncontent-length: "
                                        + body.length() + "\r\nconnection: close\r\n\r\n" + body)
                                .getBytes(StandardCharsets.US_ASCII));
                return;
            }
            try (Socket up = new Socket()) {
                up.connect(new InetSocketAddress(upstream.getHost(), upstream.getPort()), 5000);
                String upHead = head.replaceAll("(?im)^connection:.*\r\n", "")
                        .replaceFirst("\r\n\r\n$", "\r\nconnection: close\r\n\r\n");
                up.getOutputStream().write(upHead.getBytes(StandardCharsets.ISO_8859_1));
                pool.submit(() -> pipe(in, up));
                InputStream answer = up.getInputStream();
                if (fault != null) {
                    answer.read(); // the answer began: the command started
                    return; // both sockets closed, nothing passed on
                }
                answer.transferTo(client.getOutputStream());
            }
        } catch (IOException | RuntimeException gone) {
            // a side went away: so does the other
        }
    }

    private static void pipe(InputStream from, Socket to) {
        try {
            from.transferTo(to.getOutputStream());
        } catch (IOException gone) {
            // the request's body ends with its connection
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        for (int b; matched < 4 && (b = in.read()) >= 0; ) {
            head.write(b);
            matched = (b == '\r' || b == '\n') && (matched % 2 == 0 ? b == '\r' : b == '\n') ? matched + 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static void drainBody(String head, InputStream in) throws IOException {
        var m = Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(head);
        if (m.find()) {
            in.readNBytes(Integer.parseInt(m.group(1)));
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        pool.shutdownNow();
    }
}
