package dev.crownest.gateway.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.event.CommandOutput;
import dev.crownest.gateway.request.RequestIds;
import dev.crownest.gateway.upstream.UpstreamAnswer;
import dev.crownest.nodeclient.OutputWatch;
import dev.crownest.nodeclient.protocol.ExecChunk;
import dev.crownest.nodeclient.protocol.ExecFrames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code GET /v1/sandboxes/{id}/commands/{cid}/stream}: follows a command that runs or ran, as server-sent
 * events of the same shape as a streamed run. It replays the output from the first byte (or from
 * {@code Last-Event-ID}), then follows it live, then sends the exit. Two sources, in this order:
 * <ol>
 *   <li>the node, which keeps the last 8 MiB of each stream of a running command, and of one that ended
 *       in the last minutes, and replays it from byte offsets (gap events for what it dropped);</li>
 *   <li>the command's record, which keeps the first 512 KiB of each stream once it finished; while the
 *       record still says running (its node let the command go, or restarted), it is polled.</li>
 * </ol>
 * Nothing lives in the gateway between two requests, so a reattach works across gateway restarts and
 * any number of clients can follow one command.
 */
@Component
public class CommandReattach {
    private static final Duration POLL = Duration.ofMillis(500);
    /** What a record keeps of each stream (the worker's crownest.worker.output-cap-bytes). */
    private static final int RECORD_CAP_BYTES = 512 * 1024;

    private final CommandHandler commands;
    private final NodeOutputWatches watches;
    private final RecordedRuns recorded;
    private final ObjectMapper json;

    CommandReattach(CommandHandler commands, NodeOutputWatches watches, RecordedRuns recorded, ObjectMapper json) {
        this.commands = commands;
        this.watches = watches;
        this.recorded = recorded;
        this.json = json;
    }

    public Mono<ServerResponse> stream(ServerRequest request) {
        String sandboxId = request.pathVariable("id");
        String commandId = request.pathVariable("cid");
        String lastEventId = request.headers().firstHeader("Last-Event-ID") != null
                ? request.headers().firstHeader("Last-Event-ID")
                : request.queryParam("lastEventId").orElse(null);
        OutputCursor from = OutputCursor.parse(lastEventId);
        if (from == null) {
            return Mono.error(ApiException.badRequest(
                    "invalid_last_event_id",
                    "Last-Event-ID must be an event id of this stream, <stdout bytes>.<stderr bytes>"));
        }
        return commands.record(request, sandboxId, commandId).flatMap(record -> {
            CommandEventStream stream = new CommandEventStream(commandId, RequestIds.of(request.exchange()), from);
            if (record.status().value() == HttpStatus.NOT_FOUND.value()) {
                return notRecordedYet(request, stream, from, sandboxId, commandId, record);
            }
            if (record.isError()) {
                return commands.respond(request, record);
            }
            Flux<ServerSentEvent<Object>> events = watches.reattach(sandboxId, commandId, from)
                    .map(watch -> fromNode(request, stream, watch, sandboxId, commandId))
                    .switchIfEmpty(Mono.fromSupplier(() -> fromRecord(request, stream, sandboxId, commandId, record)))
                    .flatMapMany(flux -> flux);
            return commands.events(commandId, events);
        });
    }

    /**
     * A command without a record yet: a run on the data plane is recorded from its node's outbox, a moment
     * after it started, and a follower (or a client whose stream broke off at once) may come first. When
     * the sandbox is the key's and its node runs the command, the node is followed; else the record's 404.
     */
    private Mono<ServerResponse> notRecordedYet(
            ServerRequest request,
            CommandEventStream stream,
            OutputCursor from,
            String sandboxId,
            String commandId,
            UpstreamAnswer notFound) {
        return commands.sandbox(request, sandboxId)
                .flatMap(sandbox -> sandbox.isError()
                        ? commands.respond(request, sandbox)
                        : watches.reattach(sandboxId, commandId, from)
                                .flatMap(watch -> commands.events(
                                        commandId, fromNode(request, stream, watch, sandboxId, commandId)))
                                .switchIfEmpty(Mono.defer(() -> commands.respond(request, notFound))));
    }

    /** The node's kept output and live frames, then its exit. */
    private Flux<ServerSentEvent<Object>> fromNode(
            ServerRequest request, CommandEventStream stream, OutputWatch watch, String sandboxId, String commandId) {
        // The exit frame is kept as it came and read after the output: a frame that failed to parse here,
        // upstream of the events, would cut off the output frames read ahead with it.
        AtomicReference<byte[]> exitFrame = new AtomicReference<>();
        Flux<ExecFrames.Frame> frames = watch.frames()
                .doOnNext(frame -> {
                    if (frame.type() == ExecFrames.EXIT) {
                        exitFrame.set(frame.payload());
                    }
                })
                .doOnCancel(watch.cancel());
        Flux<ServerSentEvent<Object>> output = stream.events(frames, Flux.empty());
        // The node's exit at once, as a streamed run's own: this gateway's reads after it wait for the
        // record (RecordedRuns), where polling the record before the exit held a follower back by up to a
        // poll (docs/benchmarks.md). A watch that ended without one (its sandbox stopped, or the node went
        // away) is finished by the record.
        Mono<ServerSentEvent<Object>> end = Mono.defer(() -> {
            if (exitFrame.get() == null) {
                return finishedRecord(request, sandboxId, commandId).map(record -> exitOf(stream, record));
            }
            ExecChunk exit = chunk(exitFrame.get());
            recorded.answered(sandboxId, commandId);
            return Mono.just(stream.exit(exit.exitCode(), Boolean.TRUE.equals(exit.timedOut())));
        });
        return Flux.concat(output, end);
    }

    /** The record's kept output from where the reader stands, its gaps, and its exit, once it finished. */
    private Flux<ServerSentEvent<Object>> fromRecord(
            ServerRequest request,
            CommandEventStream stream,
            String sandboxId,
            String commandId,
            UpstreamAnswer first) {
        JsonNode record = tree(first.body());
        Mono<JsonNode> finished = "finished".equals(record.path("status").asText())
                ? Mono.just(record)
                : finishedRecord(request, sandboxId, commandId);
        return finished.flatMapMany(done -> {
            List<ServerSentEvent<Object>> events = new ArrayList<>();
            for (String name : List.of(CommandOutput.STDOUT, CommandOutput.STDERR)) {
                byte[] kept = done.path(name).asText("").getBytes(StandardCharsets.UTF_8);
                long at = stream.cursorAt(name);
                if (at < kept.length) {
                    events.addAll(stream.output(name, Arrays.copyOfRange(kept, (int) at, kept.length)));
                }
                JsonNode total = done.path(name + "Bytes");
                if (total.isNumber()) {
                    events.addAll(stream.gap(name, total.asLong()));
                } else if (done.path("truncated").asBoolean() && kept.length >= RECORD_CAP_BYTES - 3) {
                    // A record without byte counts: the stream at the cap lost bytes, how many is unknown.
                    events.addAll(stream.unknownGap(name));
                }
            }
            events.add(exitOf(stream, done));
            return Flux.fromIterable(events);
        });
    }

    /** The record once finished, polled. */
    private Mono<JsonNode> finishedRecord(ServerRequest request, String sandboxId, String commandId) {
        return Flux.interval(Duration.ZERO, POLL)
                .concatMap(tick -> commands.record(request, sandboxId, commandId))
                .map(answer -> answer.isError() ? json.createObjectNode() : tree(answer.body()))
                .filter(record -> "finished".equals(record.path("status").asText()))
                .next();
    }

    private static ServerSentEvent<Object> exitOf(CommandEventStream stream, JsonNode record) {
        JsonNode exitCode = record.path("exitCode");
        return stream.exit(
                exitCode.isNull() || exitCode.isMissingNode() ? null : exitCode.asInt(),
                record.path("timedOut").asBoolean());
    }

    private ExecChunk chunk(byte[] frame) {
        try {
            return json.readValue(frame, ExecChunk.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode tree(byte[] body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
