package dev.crownest.gateway.command;

import dev.crownest.contracts.api.ApiError;
import dev.crownest.contracts.event.CommandOutput;
import dev.crownest.nodeclient.protocol.ExecFrames;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Turns one command's stream into server-sent events: {@code stdout}/{@code stderr} with
 * {@code {"data": text}} from the node's output frames as they come, then one {@code exit} with
 * {@code {"commandId","exitCode","timedOut"}} from the worker's exit record, which it publishes once the
 * command's record is finished (a client reading the record after the exit finds it finished). Event
 * ids count from 0.
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

    CommandEventStream(String commandId, String requestId) {
        this.commandId = commandId;
        this.requestId = requestId;
    }

    /**
     * @param output  the node's frames of the command, up to its exit frame
     * @param records the command's records of {@code command-output}: its exit
     */
    Flux<ServerSentEvent<Object>> events(Flux<ExecFrames.Frame> output, Flux<CommandOutput> records) {
        Flux<ServerSentEvent<Object>> text = output.takeUntil(frame -> frame.type() == ExecFrames.EXIT)
                .concatMapIterable(frame -> switch (frame.type()) {
                    case ExecFrames.STDOUT -> text(CommandOutput.STDOUT, stdout.decode(frame.payload()));
                    case ExecFrames.STDERR -> text(CommandOutput.STDERR, stderr.decode(frame.payload()));
                    default -> List.of();
                })
                // the node went away mid-stream: the client is told, and still gets the exit
                .onErrorResume(failure -> {
                    log.warn("output of command {} from its node broke off: {}", commandId, failure.toString());
                    return Mono.just(ServerSentEvent.<Object>builder(ApiError.of(
                                    "unavailable",
                                    "output_interrupted",
                                    "the command's output could not be read to its end; its record has what was kept",
                                    requestId))
                            .event("error")
                            .build());
                });
        Flux<ServerSentEvent<Object>> unfinished = Flux.defer(() -> {
            List<ServerSentEvent<Object>> rest = new ArrayList<>(text(CommandOutput.STDOUT, stdout.finish()));
            rest.addAll(text(CommandOutput.STDERR, stderr.finish()));
            return Flux.fromIterable(rest);
        });
        Mono<ServerSentEvent<Object>> exit = records.filter(record -> CommandOutput.EXIT.equals(record.stream()))
                .next()
                .map(record -> ServerSentEvent.<Object>builder(
                                new Exit(commandId, record.exitCode(), Boolean.TRUE.equals(record.timedOut())))
                        .event(CommandOutput.EXIT)
                        .id(Long.toString(nextId++))
                        .build());
        return Flux.concat(text, unfinished, exit);
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
