package dev.crownest.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reattach after an {@code output_interrupted} error event, against a fake gateway on 127.0.0.1 (no stack):
 * the client's own logic. The stream breaks off with that event (the gateway stopped under it); the SDK
 * follows the command through the reattach route from the last event id, so every byte comes once, then
 * the exit. Any other error event still fails.
 */
class StreamInterruptionTest {
    private static final String RUN = "POST /v1/sandboxes/sbx_1/commands";
    private static final String STREAM = "GET /v1/sandboxes/sbx_1/commands/cmd_1/stream";
    private static final String INTERRUPTED = event(
            "error",
            "{\"error\":{\"type\":\"unavailable\",\"code\":\"output_interrupted\",\"message\":\"lost\",\"requestId\":\"req_1\"}}",
            null);

    private HttpServer server;
    /** The event streams the fake gateway answers, one per request, by route. */
    private final Map<String, Deque<List<String>>> script = new ConcurrentHashMap<>();
    /** The Last-Event-ID of each request of the stream route ("-" for none). */
    private final List<String> reattachedFrom = new CopyOnWriteArrayList<>();

    private final List<String> posts = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(HttpExchange ex) throws IOException {
        String route = ex.getRequestMethod() + " " + ex.getRequestURI().getPath();
        ex.getRequestBody().readAllBytes();
        if (route.equals(STREAM)) {
            String from = ex.getRequestHeaders().getFirst("last-event-id");
            reattachedFrom.add(from == null ? "-" : from);
        } else if (route.equals(RUN)) {
            posts.add(route);
        }
        String body;
        String type = "text/event-stream";
        if (route.equals("GET /v1/sandboxes/sbx_1")) {
            body = "{\"id\":\"sbx_1\",\"status\":\"running\"}";
            type = "application/json";
        } else if (route.equals("GET /v1/sandboxes/sbx_1/commands/cmd_1")) {
            body = "{\"id\":\"cmd_1\",\"status\":\"finished\",\"exitCode\":3,\"stdout\":\"kept\",\"stderr\":\"\"}";
            type = "application/json";
        } else {
            Deque<List<String>> streams = script.get(route);
            List<String> events = streams == null ? null : streams.poll();
            if (events == null) {
                ex.sendResponseHeaders(500, -1);
                ex.close();
                return;
            }
            body = String.join("", events);
            ex.getResponseHeaders().add("x-crownest-command-id", "cmd_1");
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("content-type", type);
        ex.sendResponseHeaders(200, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    private static String event(String name, String data, String id) {
        return (id == null ? "" : "id:" + id + "\n") + "event:" + name + "\ndata:" + data + "\n\n";
    }

    private static String output(String stream, String text, String id) {
        return event(stream, "{\"data\":\"" + text.replace("\n", "\\n") + "\"}", id);
    }

    private static String exit(String id) {
        return event("exit", "{\"commandId\":\"cmd_1\",\"exitCode\":3,\"timedOut\":false}", id);
    }

    @SafeVarargs
    private void serve(String route, List<String>... streams) {
        script.put(route, new ArrayDeque<>(List.of(streams)));
    }

    private Commands commands() {
        return CrowNest.builder()
                .apiKey("cn_test")
                .baseUrl("http://127.0.0.1:" + server.getAddress().getPort())
                .backoff(Duration.ofMillis(10))
                .build()
                .sandboxes()
                .get("sbx_1")
                .commands();
    }

    @Test
    void aStreamedRunEndedByOutputInterruptedIsReattachedFromItsLastEventId() {
        serve(RUN, List.of(output("stdout", "héllo ", "7.0"), output("stderr", "warn\n", "7.5"), INTERRUPTED));
        serve(STREAM, List.of(output("stdout", "world\n", "13.5"), exit("13.5")));
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        CommandResult r =
                commands().run("cmd", new RunOptions().onStdout(out::append).onStderr(err::append));
        assertThat(r.stdout()).isEqualTo("héllo world\n");
        assertThat(r.stderr()).isEqualTo("warn\n");
        assertThat(out).hasToString("héllo world\n");
        assertThat(err).hasToString("warn\n");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(reattachedFrom).containsExactly("7.5");
        assertThat(posts).as("one run, never a second").hasSize(1);
    }

    @Test
    void connectResumesAfterOutputInterruptedOnTheReattachRouteAndAfterADroppedStream() {
        serve(
                STREAM,
                List.of(output("stdout", "a", "1.0"), INTERRUPTED),
                List.of(output("stdout", "b", "2.0")), // ends without an exit: a dropped connection
                List.of(output("stdout", "c", "3.0"), exit("3.0")));
        StringBuilder seen = new StringBuilder();
        CommandResult r = commands().connect("cmd_1", new RunOptions().onStdout(seen::append));
        assertThat(seen).hasToString("abc");
        assertThat(r.stdout()).isEqualTo("abc");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(reattachedFrom).containsExactly("-", "1.0", "2.0");
    }

    @Test
    void anotherErrorEventStillFailsTheStreamWithItsCode() {
        serve(
                RUN,
                List.of(
                        output("stdout", "x", "1.0"),
                        event(
                                "error",
                                "{\"error\":{\"type\":\"internal\",\"code\":\"stream_failed\",\"message\":\"no\",\"requestId\":\"req_2\"}}",
                                null)));
        StreamException e = catchThrowableOfType(
                StreamException.class, () -> commands().run("cmd", new RunOptions().onStdout(s -> {})));
        assertThat(e.code()).isEqualTo("stream_failed");
        assertThat(e.requestId()).isEqualTo("req_2");
        assertThat(reattachedFrom).as("not reattached").isEmpty();
    }

    @Test
    void aReattachThatKeepsBringingNothingGivesUpWithStreamLost() {
        serve(
                STREAM,
                List.of(INTERRUPTED),
                List.of(INTERRUPTED),
                List.of(INTERRUPTED),
                List.of(INTERRUPTED),
                List.of(INTERRUPTED),
                List.of(INTERRUPTED),
                List.of(INTERRUPTED));
        StreamException e =
                catchThrowableOfType(StreamException.class, () -> commands().connect("cmd_1"));
        assertThat(e.code()).isEqualTo("stream_lost");
        assertThat(reattachedFrom).as("the first attempt and 5 more").hasSize(6);
    }
}
