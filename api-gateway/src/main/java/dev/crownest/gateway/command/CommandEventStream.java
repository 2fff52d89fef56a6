package dev.crownest.gateway.command;

import dev.crownest.contracts.api.ApiError;
import dev.crownest.contracts.event.CommandOutput;
import dev.crownest.nodeclient.protocol.ExecChunk;
import dev.crownest.nodeclient.protocol.ExecFrames;
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
 * {@code {"data": text}} from the node's output frames as they come, then one {@code exit} with
 * {@code {"commandId","exitCode","timedOut"}}: for a run on the data plane the node's exit frame, for one
 * of the control plane the worker's exit record, which it publishes once the command's record is
 * finished. Event ids count from 0.
 */
final class CommandEventStream {
    private static final Logger log = LoggerFactory.getLogger(CommandEventStream.class);

    /** Data of a stdout or stderr event. */
    record Output(String data) {}

    /** Data of the final exit event. */
    record Exit(String commandId, Integer exitCode, boolean timedOut) {}

    private final String commandId;
    private final String requestId;
    private final OutputTextDecoder stdout = new OutputTextDecoder();
    private final OutputTextDecoder stderr = new OutputTextDecoder();
    private long nextId;
    private boolean interrupted;

    CommandEventStream(String commandId, String requestId) {
        this.commandId = commandId;
        this.requestId = requestId;
    }

    /**
     * A run of the control plane's.
     *
     * @param output  the node's frames of the command, up to its exit frame
     * @param records the command's records of {@code command-output}: its exit
     */
    Flux<ServerSentEvent<Object>> events(Flux<ExecFrames.Frame> output, Flux<CommandOutput> records) {
        Mono<ServerSentEvent<Object>> exit = records.filter(record -> CommandOutput.EXIT.equals(record.stream()))
                .next()
                .map(record -> exit(record.exitCode(), record.timedOut()));
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
                ? Mono.just(exit(exit.get().exitCode(), exit.get().timedOut()))
                : interrupted ? Mono.empty() : Mono.just(interruption()));
        return Flux.concat(text(seen), unfinished(), end);
    }

    private Flux<ServerSentEvent<Object>> text(Flux<ExecFrames.Frame> output) {
        return output.takeUntil(frame -> frame.type() == ExecFrames.EXIT)
                .concatMapIterable(frame -> switch (frame.type()) {
                    case ExecFrames.STDOUT -> text(CommandOutput.STDOUT, stdout.decode(frame.payload()));
                    case ExecFrames.STDERR -> text(CommandOutput.STDERR, stderr.decode(frame.payload()));
                    default -> List.of();
                })
                // the node went away mid-stream: the client is told, and still gets the exit
                .onErrorResume(failure -> {
                    log.warn("output of command {} from its node broke off: {}", commandId, failure.toString());
                    return Mono.just(interruption());
                });
    }

    private Flux<ServerSentEvent<Object>> unfinished() {
        return Flux.defer(() -> {
            List<ServerSentEvent<Object>> rest = new ArrayList<>(text(CommandOutput.STDOUT, stdout.finish()));
            rest.addAll(text(CommandOutput.STDERR, stderr.finish()));
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

    private ServerSentEvent<Object> exit(Integer exitCode, Boolean timedOut) {
        return ServerSentEvent.<Object>builder(new Exit(commandId, exitCode, Boolean.TRUE.equals(timedOut)))
                .event(CommandOutput.EXIT)
                .id(Long.toString(nextId++))
                .build();
    }

    private List<ServerSentEvent<Object>> text(String stream, String text) {
        return text.isEmpty()
                ? List.of()
                : List.of(ServerSentEvent.<Object>builder(new Output(text))
                        .event(stream)
                        .id(Long.toString(nextId++))
                        .build());
    }
}
