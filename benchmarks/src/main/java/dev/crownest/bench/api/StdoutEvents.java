package dev.crownest.bench.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.sdk.CrowNest;
import dev.crownest.sdk.RawResponse;
import dev.crownest.systemtest.SystemUnderTest;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.Arrays;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * A command's server-sent events read as a client that cares for speed reads them: lines cut from the
 * bytes, each data line's JSON read by a streaming parser without building a tree or a String. The client
 * shares the machine's cores with the platform: reading lines into Strings and every event into a JSON
 * tree (the system tests' former PlatformClient.stream) held the figure at about half of what curl read from the same stream
 * (docs/benchmarks.md).
 */
final class StdoutEvents {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What a stream gave: the characters of its stdout events, the stdout bytes its gap events said were
     * not kept, and when its exit event was read ({@link System#nanoTime()}; 0: the stream ended without).
     */
    record Read(long stdout, long gapBytes, long exitNanos) {}

    private StdoutEvents() {}

    /**
     * A streamed run of {@code cmd} (POST .../commands with stream: true), its answer's headers read.
     * HttpURLConnection, not java.net.http: its blocking chunked reader took the same stream at about twice
     * the rate of java.net.http's InputStream (small buffers handed between threads).
     */
    static HttpURLConnection run(CrowNest api, String sandboxId, String cmd) throws IOException {
        HttpURLConnection connection = open(api, "/v1/sandboxes/" + sandboxId + "/commands");
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setRequestProperty("content-type", "application/json");
        try (var out = connection.getOutputStream()) {
            out.write(JSON.writeValueAsBytes(Map.of("cmd", cmd, "stream", true, "timeoutMs", 600_000)));
        }
        return answered(connection);
    }

    /** Writes {@code bytes} of 'x' to {@code file} in the sandbox: the stream a {@code cat} producer reads. */
    static void writeFile(CrowNest api, String sandboxId, String file, long bytes) {
        RawResponse made = api.http()
                .send(
                        "POST",
                        "/v1/sandboxes/" + sandboxId + "/commands",
                        Map.of(
                                "cmd",
                                "head -c " + bytes + " /dev/zero | tr '\\0' 'x' > " + file,
                                "timeoutMs",
                                300_000));
        if (made.status() != 200 || made.json().path("exitCode").asInt(-1) != 0) {
            throw new IllegalStateException("could not write the stream's file: " + made.text());
        }
    }

    /** A follower of a command from its first byte: the reattach route (GET .../commands/{cid}/stream). */
    static HttpURLConnection follow(CrowNest api, String sandboxId, String commandId) throws IOException {
        return answered(open(api, "/v1/sandboxes/" + sandboxId + "/commands/" + commandId + "/stream"));
    }

    private static HttpURLConnection open(CrowNest api, String path) throws IOException {
        HttpURLConnection connection =
                (HttpURLConnection) URI.create(api.baseUrl() + path).toURL().openConnection();
        connection.setRequestProperty("x-api-key", SystemUnderTest.apiKey());
        connection.setRequestProperty("accept", "text/event-stream");
        return connection;
    }

    private static HttpURLConnection answered(HttpURLConnection connection) throws IOException {
        if (connection.getResponseCode() != 200) {
            String error = connection.getErrorStream() == null
                    ? ""
                    : new String(connection.getErrorStream().readAllBytes());
            throw new AnswerException(connection.getResponseCode(), error);
        }
        return connection;
    }

    /** A stream route's answer other than 200. */
    static final class AnswerException extends IOException {
        final int status;

        AnswerException(int status, String body) {
            super("the stream answered " + status + " " + body);
            this.status = status;
        }
    }

    /** Reads the answer's events to the exit or the body's end; {@code onStdout} gets the characters read so far. */
    static Read read(HttpURLConnection connection, LongConsumer onStdout) throws IOException {
        long characters = 0;
        long gaps = 0;
        String event = "";
        byte[] buffer = new byte[1 << 20];
        int filled = 0;
        try (InputStream body = connection.getInputStream()) {
            for (int n; (n = body.read(buffer, filled, buffer.length - filled)) > 0 || filled == buffer.length; ) {
                if (filled == buffer.length) {
                    buffer = Arrays.copyOf(buffer, buffer.length * 2); // a line longer than the buffer
                    continue;
                }
                filled += n;
                int start = 0;
                for (int end; (end = indexOf(buffer, (byte) '\n', start, filled)) >= 0; start = end + 1) {
                    if (startsWith(buffer, start, "event:")) {
                        event = new String(buffer, start + 6, end - start - 6).trim();
                        if (event.equals("exit")) {
                            return new Read(characters, gaps, System.nanoTime());
                        }
                    } else if (startsWith(buffer, start, "data:") && (event.equals("stdout") || event.equals("gap"))) {
                        long[] counted = count(buffer, start + 5, end - start - 5, event.equals("gap"));
                        characters += counted[0];
                        gaps += counted[1];
                        onStdout.accept(characters);
                    }
                }
                System.arraycopy(buffer, start, buffer, 0, filled - start);
                filled -= start;
            }
        }
        return new Read(characters, gaps, 0);
    }

    /** {characters of an output event's "data", stdout bytes of a gap event's "bytes"}. */
    private static long[] count(byte[] bytes, int offset, int length, boolean gap) throws IOException {
        long characters = 0;
        long dropped = 0;
        boolean stdout = false;
        try (JsonParser parser = JSON.getFactory().createParser(bytes, offset, length)) {
            while (parser.nextToken() != null) {
                JsonToken token = parser.currentToken();
                if (!gap && token == JsonToken.VALUE_STRING && "data".equals(parser.currentName())) {
                    characters += parser.getTextLength();
                } else if (gap && token == JsonToken.VALUE_STRING && "stream".equals(parser.currentName())) {
                    stdout = "stdout".equals(parser.getText());
                } else if (gap && token == JsonToken.VALUE_NUMBER_INT && "bytes".equals(parser.currentName())) {
                    dropped = parser.getLongValue();
                }
            }
        }
        return new long[] {characters, stdout ? dropped : 0};
    }

    private static int indexOf(byte[] bytes, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWith(byte[] bytes, int at, String prefix) {
        for (int i = 0; i < prefix.length(); i++) {
            if (at + i >= bytes.length || bytes[at + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
