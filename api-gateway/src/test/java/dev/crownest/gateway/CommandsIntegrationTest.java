package dev.crownest.gateway;

import static dev.crownest.gateway.ApiErrors.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crownest.contracts.event.CommandOutput;
import dev.crownest.contracts.event.Topics;
import dev.crownest.contracts.security.Scopes;
import dev.crownest.nodeclient.protocol.ExecFrames;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import reactor.core.publisher.Flux;

/**
 * Running commands through the gateway on the control plane: blocking, streamed as server-sent events
 * from the node's output and the exit record, and over a WebSocket with a cancel. These runs collect a
 * file, which keeps them on the control plane (docs/design.md, "Commands on the data plane"); runs on
 * the data plane are tested end to end by the system tests (CommandRecordsTest and the streaming suites).
 */
class CommandsIntegrationTest extends GatewayWithStandIns {

    @LocalServerPort
    private int port;

    @Test
    void blockingRunForwardsWithWaitTrue() throws Exception {
        String key = liveKey("key_" + UUID.randomUUID(), "t_" + UUID.randomUUID(), Scopes.ALL, null);
        SERVICES.reset();
        SERVICES.answer(
                request -> new StandInService.Reply(200, "{\"id\":\"cmd_1\",\"status\":\"finished\",\"exitCode\":0}"));
        http.post()
                .uri("/v1/sandboxes/sbx_1/commands")
                .header("x-api-key", key)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"cmd\":\"echo hi\",\"collect\":[\"out.txt\"]}")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.exitCode")
                .isEqualTo(0);
        StandInService.Seen forwarded = SERVICES.next(Duration.ofSeconds(5));
        assertThat(forwarded.uri()).isEqualTo("/internal/sandboxes/sbx_1/commands?wait=true");
        assertThat(JSON.readTree(forwarded.body()).path("cmd").asText()).isEqualTo("echo hi");
    }

    @Test
    void streamedRunAnswersServerSentEventsFromTheNodesOutputAndTheExitRecord() throws Exception {
        String key = liveKey("key_" + UUID.randomUUID(), "t_" + UUID.randomUUID(), Scopes.ALL, null);
        SERVICES.reset();
        NODE.answer(StandInNodeScript::helloOops);
        CompletableFuture<String> commandId = new CompletableFuture<>();
        CompletableFuture<Boolean> watchedFirst = new CompletableFuture<>();
        SERVICES.answer(request -> {
            if (request.method().equals("POST")) {
                String id = request.headers().get("X-CrowNest-Command-Id");
                commandId.complete(id);
                watchedFirst.complete(NODE.watched(id));
                // The command runs on the node once accepted; its exit record follows, as the execution worker's would.
                NODE.start(id);
                CompletableFuture.runAsync(
                        () -> finish(id), CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS));
                return new StandInService.Reply(202, "{\"id\":\"" + id + "\",\"status\":\"running\"}");
            }
            return new StandInService.Reply(500, "{}");
        });

        List<ServerSentEvent<String>> all = http.mutate()
                .responseTimeout(Duration.ofSeconds(15))
                .build()
                .post()
                .uri("/v1/sandboxes/sbx_1/commands")
                .header("x-api-key", key)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"cmd\":\"printf hello\",\"stream\":true,\"collect\":[\"out.txt\"]}")
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() {})
                .getResponseBody()
                .collectList()
                .block(Duration.ofSeconds(15));
        // first a comment alone (its headers go out before any output), then the events
        assertThat(all.getFirst().comment()).isEmpty();
        assertThat(all.getFirst().event()).isNull();
        List<ServerSentEvent<String>> events = all.subList(1, all.size());

        String id = commandId.get(1, TimeUnit.SECONDS);
        assertThat(id).startsWith("cmd_");
        assertThat(watchedFirst.get(1, TimeUnit.SECONDS))
                .as("the node's output was watched before the run was asked for")
                .isTrue();
        StandInService.Seen start = SERVICES.next(Duration.ofSeconds(1));
        assertThat(start.uri()).isEqualTo("/internal/sandboxes/sbx_1/commands?wait=false");

        assertThat(events).extracting(ServerSentEvent::event).containsExactly("stdout", "stdout", "stderr", "exit");
        assertThat(JSON.readTree(events.get(0).data()).path("data").asText()).isEqualTo("hello ");
        assertThat(JSON.readTree(events.get(1).data()).path("data").asText()).isEqualTo("é!\n");
        assertThat(JSON.readTree(events.get(2).data()).path("data").asText()).isEqualTo("oops\n");
        JsonNode exit = JSON.readTree(events.get(3).data());
        assertThat(exit.path("commandId").asText()).isEqualTo(id);
        assertThat(exit.path("exitCode").asInt()).isEqualTo(3);
        assertThat(exit.path("timedOut").asBoolean()).isTrue();
    }

    @Test
    void streamedRunWhoseNodeCannotBeWatchedIsRefusedBeforeAnythingRuns() throws Exception {
        String key = liveKey("key_" + UUID.randomUUID(), "t_" + UUID.randomUUID(), Scopes.ALL, null);
        SERVICES.reset();
        NODE.answer(commandId -> null);
        try {
            assertError(
                    http.post()
                            .uri("/v1/sandboxes/sbx_1/commands")
                            .header("x-api-key", key)
                            .contentType(MediaType.APPLICATION_JSON)
                            .bodyValue("{\"cmd\":\"true\",\"stream\":true,\"collect\":[\"out.txt\"]}")
                            .exchange(),
                    503,
                    "unavailable",
                    "node_unavailable");
            assertThat(SERVICES.next(Duration.ofMillis(300)))
                    .as("nothing asked to run")
                    .isNull();
        } finally {
            NODE.answer(StandInNodeScript::helloOops);
        }
    }

    @Test
    void streamedRunThatTheServiceRefusesAnswersJson() {
        String key = liveKey("key_" + UUID.randomUUID(), "t_" + UUID.randomUUID(), Scopes.ALL, null);
        SERVICES.answer(
                request -> new StandInService.Reply(
                        409,
                        "{\"error\":{\"type\":\"conflict\",\"code\":\"sandbox_not_running\",\"message\":\"sandbox sbx_1 is killed\"}}"));
        WebTestClient.ResponseSpec answer = http.post()
                .uri("/v1/sandboxes/sbx_1/commands")
                .header("x-api-key", key)
                .accept(MediaType.TEXT_EVENT_STREAM)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"cmd\":\"true\"}")
                .exchange();
        answer.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON);
        assertError(answer, 409, "conflict", "sandbox_not_running");
    }

    @Test
    void webSocketRunStreamsStartChunksAndExitAndForwardsACancel() throws Exception {
        String key = liveKey("key_" + UUID.randomUUID(), "t_" + UUID.randomUUID(), Scopes.ALL, null);
        SERVICES.reset();
        NODE.answer(StandInNodeScript::helloOops);
        CompletableFuture<String> cancelled = new CompletableFuture<>();
        SERVICES.answer(request -> {
            if (request.uri().endsWith("/cancel")) {
                cancelled.complete(request.uri());
                return new StandInService.Reply(200, "{\"status\":\"finished\",\"cancelled\":true}");
            }
            String id = request.headers().get("X-CrowNest-Command-Id");
            // output only once the client had time to send its cancel frame
            CompletableFuture.runAsync(
                    () -> {
                        NODE.start(id);
                        finish(id);
                    },
                    CompletableFuture.delayedExecutor(500, TimeUnit.MILLISECONDS));
            return new StandInService.Reply(202, "{\"id\":\"" + id + "\",\"status\":\"running\"}");
        });
        List<String> frames = new CopyOnWriteArrayList<>();
        var headers = new HttpHeaders();
        headers.set("x-api-key", key);
        new ReactorNettyWebSocketClient()
                .execute(
                        URI.create("ws://127.0.0.1:" + port + "/v1/sandboxes/sbx_1/commands/ws"),
                        headers,
                        session -> session.send(Flux.just(
                                        session.textMessage("{\"cmd\":\"printf hello\",\"collect\":[\"out.txt\"]}"),
                                        session.textMessage("{\"type\":\"cancel\"}")))
                                .thenMany(session.receive()
                                        .map(m -> m.getPayloadAsText())
                                        .doOnNext(frames::add))
                                .then())
                .block(Duration.ofSeconds(15));

        assertThat(frames)
                .extracting(f -> JSON.readTree(f).path("type").asText())
                .containsExactly("start", "stdout", "stdout", "stderr", "exit");
        String id = JSON.readTree(frames.get(0)).path("commandId").asText();
        assertThat(id).startsWith("cmd_");
        assertThat(JSON.readTree(frames.get(1)).path("data").asText()).isEqualTo("hello ");
        assertThat(JSON.readTree(frames.get(4)).path("exitCode").asInt()).isEqualTo(3);
        assertThat(cancelled.get(5, TimeUnit.SECONDS))
                .isEqualTo("/internal/sandboxes/sbx_1/commands/" + id + "/cancel");

        // without the scope, the upgrade is refused like any route
        String readOnly =
                liveKey("key_" + UUID.randomUUID(), "t_" + UUID.randomUUID(), List.of(Scopes.COMMANDS_READ), null);
        assertError(
                http.get()
                        .uri("/v1/sandboxes/sbx_1/commands/ws")
                        .header("x-api-key", readOnly)
                        .exchange(),
                403,
                "permission",
                "missing_scope");
    }

    /** The execution worker's exit record of a command: exit code 3, timed out. */
    private static void finish(String commandId) {
        TestKafka.send(
                Topics.COMMAND_OUTPUT,
                commandId,
                new CommandOutput(commandId, "sbx_1", "t", 0, CommandOutput.EXIT, null, 3, true));
    }

    /** What the stand-in node streams: a character split across two frames, stderr, then the exit frame. */
    private static final class StandInNodeScript {
        static byte[] helloOops(String commandId) {
            byte[] hello = "hello é!\n".getBytes(StandardCharsets.UTF_8);
            int split = "hello ".length() + 1; // inside the two bytes of é
            return StandInNode.frames(
                    ExecFrames.STDOUT, Arrays.copyOfRange(hello, 0, split),
                    ExecFrames.STDOUT, Arrays.copyOfRange(hello, split, hello.length),
                    ExecFrames.STDERR, "oops\n".getBytes(StandardCharsets.UTF_8),
                    ExecFrames.EXIT,
                            "{\"stream\":\"exit\",\"exitCode\":3,\"timedOut\":true}".getBytes(StandardCharsets.UTF_8));
        }
    }
}
