package dev.crownest.gateway.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.api.ApiError;
import dev.crownest.contracts.event.CommandOutput;
import dev.crownest.nodeclient.protocol.ExecChunk;
import dev.crownest.nodeclient.protocol.ExecFrames;
import dev.crownest.nodeclient.protocol.OutputGap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Turns one command's stream into server-sent events: {@code stdout}/{@code stderr} with
 * {@code {"data": text}} from the node's output frames as they come, {@code gap} with
 * {@code {"stream","from","to","bytes"}} for output that was not kept (a reattach), then one {@code exit}
 * with {@code {"commandId","exitCode","timedOut"}}: for a run on the data plane the node's exit frame, for
 * one of the control plane the worker's exit record, which it publishes once the command's record is
 * finished.
 *
 * <p>An event's id is where the reader then stands: {@code <stdout bytes>.<stderr bytes>} delivered
 * ({@link OutputCursor}). A reattach from {@code Last-Event-ID} starts there, so a broken stream resumes
 * without a byte twice or missing.
 */
final class CommandEventStream {
    private static final Logger log = LoggerFactory.getLogger(CommandEventStream.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Data of a stdout or stderr event. */
    record Output(String data) {}

    /** Data of the final exit event. */
    record Exit(String commandId, Integer exitCode, boolean timedOut) {}

    /**
     * Data of a gap event: bytes {@code from} to {@code to} of {@code stream} were not kept; {@code to} and
     * {@code bytes} are null when how many is not known (a record from before byte counts).
     */
    record Gap(String stream, long from, Long to, Long bytes) {}

    private final String commandId;
    private final String requestId;
    private final OutputTextDecoder stdout = new OutputTextDecoder();
    private final OutputTextDecoder stderr = new OutputTextDecoder();
    private final OutputCursor cursor;
    private boolean interrupted;

    CommandEventStream(String commandId, String requestId) {
        this(commandId, requestId, OutputCursor.start());
    }

    /** A stream for a reader already at {@code from} (a reattach). */
    CommandEventStream(String commandId, String requestId, OutputCursor from) {
        this.commandId = commandId;
        this.requestId = requestId;
        this.cursor = from;
    }

    /**
     * @param output  the node's frames of the command, up to its exit frame
     * @param records the command's records of {@code command-output}: its exit
     */
    Flux<ServerSentEvent<Object>> events(Flux<ExecFrames.Frame> output, Flux<CommandOutput> records) {
        Mono<ServerSentEvent<Object>> exit = records.filter(record -> CommandOutput.EXIT.equals(record.stream()))
                .next()
                .map(record -> exit(record.exitCode(), Boolean.TRUE.equals(record.timedOut())));
        return Flux.concat(text(output), unfinished(), exit);
    }

    /**
     * A run on the data plane: the exit is the node's own exit frame (written to the node's outbox before
     * it was sent), so nothing waits on Kafka. Output that ends without one is told as interrupted.
     */
    Flux<ServerSentEvent<Object>> events(Flux<ExecFrames.Frame> output, Function<byte[], ExecChunk> exits) {
        AtomicReference<ExecChunk> exit = new AtomicReference<>();
        Flux<ExecFrames.Frame> seen = output.doOnNext(frame -> {
            if (frame.type() == ExecFrames.EXIT) {
                exit.set(exits.apply(frame.payload()));
            }
        });
        Mono<ServerSentEvent<Object>> end = Mono.defer(() -> exit.get() != null
                ? Mono.just(exit(
                        exit.get().exitCode(), Boolean.TRUE.equals(exit.get().timedOut())))
                : interrupted ? Mono.empty() : Mono.just(interruption()));
        return Flux.concat(text(seen), unfinished(), end);
    }

    /** The output events of the frames, up to the exit frame; a node that went away is an error event. */
    Flux<ServerSentEvent<Object>> text(Flux<ExecFrames.Frame> output) {
        return output.takeUntil(frame -> frame.type() == ExecFrames.EXIT)
                .concatMapIterable(frame -> switch (frame.type()) {
                    case ExecFrames.STDOUT -> text(CommandOutput.STDOUT, stdout, frame.payload());
                    case ExecFrames.STDERR -> text(CommandOutput.STDERR, stderr, frame.payload());
                    case ExecFrames.GAP -> gap(frame.payload());
                    default -> List.of();
                })
                // the node went away mid-stream: the client is told, and still gets the exit
                .onErrorResume(failure -> {
                    log.warn("output of command {} from its node broke off: {}", commandId, failure.toString());
                    return Mono.just(interruption());
                });
    }

    /** What the decoders still hold at the end: a character never finished. */
    Flux<ServerSentEvent<Object>> unfinished() {
        return Flux.defer(() -> {
            List<ServerSentEvent<Object>> rest = new ArrayList<>(finish(CommandOutput.STDOUT, stdout));
            rest.addAll(finish(CommandOutput.STDERR, stderr));
            return Flux.fromIterable(rest);
        });
    }

    private ServerSentEvent<Object> interruption() {
        interrupted = true;
        return ServerSentEvent.<Object>builder(ApiError.of(
                        "unavailable",
                        "output_interrupted",
                        "the command's output could not be read to its end; its record has what was kept",
                        requestId))
                .event("error")
                .build();
    }

    /** The exit event, where the reader stands after all the output. */
    ServerSentEvent<Object> exit(Integer exitCode, boolean timedOut) {
        return ServerSentEvent.<Object>builder(new Exit(commandId, exitCode, timedOut))
                .event(CommandOutput.EXIT)
                .id(cursor.id())
                .build();
    }

    /** Output of a record rather than frames (a reattach after the node let the command go): its events. */
    List<ServerSentEvent<Object>> output(String stream, byte[] bytes) {
        List<ServerSentEvent<Object>> events =
                new ArrayList<>(text(stream, CommandOutput.STDERR.equals(stream) ? stderr : stdout, bytes));
        events.addAll(finish(stream, CommandOutput.STDERR.equals(stream) ? stderr : stdout));
        return events;
    }

    /** A gap of {@code stream} from where the reader stands to {@code to}: the bytes nobody kept. */
    List<ServerSentEvent<Object>> gap(String stream, long to) {
        long from = cursor.at(stream);
        return to <= from ? List.of() : List.of(gapEvent(new OutputGap(stream, from, to)));
    }

    /** A gap of {@code stream} from where the reader stands to an end nobody counted. */
    List<ServerSentEvent<Object>> unknownGap(String stream) {
        return List.of(ServerSentEvent.<Object>builder(new Gap(stream, cursor.at(stream), null, null))
                .event("gap")
                .id(cursor.id())
                .build());
    }

    /** Where the reader stands in {@code stream}. */
    long cursorAt(String stream) {
        return cursor.at(stream);
    }

    private List<ServerSentEvent<Object>> gap(byte[] json) {
        try {
            return List.of(gapEvent(JSON.readValue(json, OutputGap.class)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ServerSentEvent<Object> gapEvent(OutputGap gap) {
        cursor.skipTo(gap.stream(), gap.to());
        return ServerSentEvent.<Object>builder(new Gap(gap.stream(), gap.from(), gap.to(), gap.bytes()))
                .event("gap")
                .id(cursor.id())
                .build();
    }

    private List<ServerSentEvent<Object>> text(String stream, OutputTextDecoder decoder, byte[] bytes) {
        String text = decoder.decode(bytes);
        cursor.advance(stream, bytes.length);
        return event(stream, text, decoder.pendingBytes());
    }

    private List<ServerSentEvent<Object>> finish(String stream, OutputTextDecoder decoder) {
        return event(stream, decoder.finish(), 0);
    }

    /** An output event; its id leaves out the {@code pending} bytes of a character not yet whole. */
    private List<ServerSentEvent<Object>> event(String stream, String text, int pending) {
        return text.isEmpty()
                ? List.of()
                : List.of(ServerSentEvent.<Object>builder(new Output(text))
                        .event(stream)
                        .id(cursor.id(stream, pending))
                        .build());
    }
}
