package dev.crownest.testing;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A test's client of a terminal WebSocket (the node's {@code /node/v1/sandboxes/{id}/pty} or the
 * gateway's {@code /v1/sandboxes/{id}/pty}), on {@code java.net.http}: it types, resizes, and keeps
 * everything the terminal printed and the text frames it sent, to wait on.
 */
public final class TerminalClient implements AutoCloseable {
    private final WebSocket socket;
    private final Frames frames;

    private TerminalClient(WebSocket socket, Frames frames) {
        this.socket = socket;
        this.frames = frames;
    }

    /** Opens the terminal at {@code uri} (ws:// or wss://) with {@code headers} on the handshake. */
    public static TerminalClient open(URI uri, Map<String, String> headers) throws Exception {
        Frames frames = new Frames();
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
        headers.forEach(builder::header);
        WebSocket socket = builder.connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, frames)
                .get(30, TimeUnit.SECONDS);
        return new TerminalClient(socket, frames);
    }

    /** Types {@code text} (sent as one binary frame of its UTF-8 bytes). */
    public void type(String text) throws Exception {
        socket.sendBinary(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), true)
                .get(10, TimeUnit.SECONDS);
    }

    /** Sends a text frame as it is (a resize, or anything a test wants the server to refuse). */
    public void sendText(String frame) throws Exception {
        socket.sendText(frame, true).get(10, TimeUnit.SECONDS);
    }

    public void resize(int cols, int rows) throws Exception {
        sendText("{\"type\":\"resize\",\"cols\":" + cols + ",\"rows\":" + rows + "}");
    }

    /** Everything the terminal printed so far, decoded as UTF-8. */
    public String output() {
        synchronized (frames) {
            return frames.output.toString(StandardCharsets.UTF_8);
        }
    }

    /** How many bytes the terminal printed so far. */
    public int outputBytes() {
        synchronized (frames) {
            return frames.output.size();
        }
    }

    /** The text frames the server sent so far, each on its own line. */
    public String texts() {
        synchronized (frames) {
            return frames.texts.toString();
        }
    }

    /** Waits until the output holds {@code text}; the whole output then. */
    public String awaitOutput(String text, Duration timeout) throws Exception {
        return await(() -> output().contains(text), timeout, "output to contain " + text);
    }

    /** Waits until a text frame holding {@code text} came. */
    public String awaitText(String text, Duration timeout) throws Exception {
        return await(() -> texts().contains(text), timeout, "a text frame with " + text);
    }

    /** Waits until the output has more than {@code bytes} bytes. */
    public void awaitOutputBytes(int bytes, Duration timeout) throws Exception {
        synchronized (frames) {
            long end = System.nanoTime() + timeout.toNanos();
            while (frames.output.size() <= bytes) {
                long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
                if (left <= 0) {
                    throw new TimeoutException("no output past byte " + bytes + " within " + timeout);
                }
                frames.wait(left);
            }
        }
    }

    /**
     * Types one byte {@code keystrokes} times, each after the echo of the last (a shell at its prompt
     * echoes each), then drops the typed line (^U): how long each echo took, sorted, in nanoseconds.
     */
    public List<Long> echoTimes(int keystrokes, Duration patience) throws Exception {
        List<Long> echoes = new ArrayList<>();
        for (int i = 0; i < keystrokes; i++) {
            int before = outputBytes();
            long t0 = System.nanoTime();
            type("x");
            awaitOutputBytes(before, patience);
            echoes.add(System.nanoTime() - t0);
        }
        type("\u0015");
        echoes.sort(null);
        return echoes;
    }

    /** The close code the server sent, once it closed within {@code timeout}. */
    public int awaitClose(Duration timeout) throws Exception {
        return frames.closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private String await(Check check, Duration timeout, String what) throws Exception {
        synchronized (frames) {
            long end = System.nanoTime() + timeout.toNanos();
            while (!check.holds()) {
                long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
                if (left <= 0) {
                    throw new TimeoutException("no " + what + " within " + timeout + "; output so far: " + output()
                            + "; text frames: " + texts());
                }
                frames.wait(left);
            }
            return output();
        }
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
        socket.abort();
    }

    private interface Check {
        boolean holds();
    }

    private static final class Frames implements WebSocket.Listener {
        private final ByteArrayOutputStream output = new ByteArrayOutputStream();
        private final StringBuilder texts = new StringBuilder();
        private final StringBuilder partial = new StringBuilder();
        private final CompletableFuture<Integer> closed = new CompletableFuture<>();

        @Override
        public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            synchronized (this) {
                output.writeBytes(bytes);
                notifyAll();
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            synchronized (this) {
                partial.append(data);
                if (last) {
                    texts.append(partial).append('\n');
                    partial.setLength(0);
                    notifyAll();
                }
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            closed.completeExceptionally(error);
        }
    }
}
