package dev.crownest.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A node's preview tunnel and the app behind it in one: it accepts the gateway's {@code CONNECT}, answers
 * 200, then serves the tunneled HTTP request itself. The app answers every request with the request's own
 * head (so a test sees exactly what reached it), {@code /static/app.js} with a script, and always tries to
 * set a cookie for the whole preview domain.
 */
final class StandInPreviewApp implements AutoCloseable {
    static final String SCRIPT = "console.log('served from an absolute path');";

    private final ServerSocket server;

    StandInPreviewApp() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::acceptAll, "stand-in-preview-tunnel");
        accept.setDaemon(true);
        accept.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptAll() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread serve = new Thread(() -> serve(socket), "stand-in-preview-app");
                serve.setDaemon(true);
                serve.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static void serve(Socket socket) {
        try (socket;
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream()) {
            String connect = head(in);
            if (!connect.startsWith("CONNECT ")) {
                out.write("HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                return;
            }
            out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String request = head(in);
            boolean script = request.startsWith("GET /static/app.js ");
            byte[] body = (script ? SCRIPT : request).getBytes(StandardCharsets.UTF_8);
            String answer = "HTTP/1.1 200 OK\r\n"
                    + "Content-Type: " + (script ? "text/javascript" : "text/plain") + "\r\n"
                    + "Set-Cookie: app=1; Domain=preview.localhost; Path=/\r\n"
                    + "Content-Length: " + body.length + "\r\n"
                    + "Connection: close\r\n\r\n";
            out.write(answer.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
        } catch (IOException gone) {
            // the gateway went away; nothing to answer
        }
    }

    /** Reads a request head up to its blank line. */
    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4 && head.size() < 65_536) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
