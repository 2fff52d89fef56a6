package dev.crownest.gateway.command;

import dev.crownest.contracts.event.CommandOutput;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.publisher.Flux;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns one command's output chunks into server-sent events: {@code stdout}/{@code stderr} with
 * {@code {"data": text}}, then one {@code exit} with {@code {"commandId","exitCode","timedOut"}}.
 * Chunks come from one partition, so in order; a redelivered chunk (same or lower seq) is dropped.
 */
final class CommandEventStream {

    /** Data of a stdout or stderr event. */
    record Output(String data) {
    }

    /** Data of the final exit event. */
    record Exit(String commandId, Integer exitCode, boolean timedOut) {
    }

    private final String commandId;
    private final OutputTextDecoder stdout = new OutputTextDecoder();
    private final OutputTextDecoder stderr = new OutputTextDecoder();
    private long lastSeq = -1;

    CommandEventStream(String commandId) {
        this.commandId = commandId;
    }

    Flux<ServerSentEvent<Object>> events(Flux<CommandOutput> chunks) {
        return chunks.filter(this::firstDelivery)
                .takeUntil(chunk -> CommandOutput.EXIT.equals(chunk.stream()))
                .concatMap(chunk -> switch (chunk.stream()) {
                    case CommandOutput.STDOUT -> Flux.fromIterable(text(CommandOutput.STDOUT, stdout.decode(bytes(chunk)), chunk.seq()));
                    case CommandOutput.STDERR -> Flux.fromIterable(text(CommandOutput.STDERR, stderr.decode(bytes(chunk)), chunk.seq()));
                    case CommandOutput.EXIT -> Flux.concat(
                            Flux.fromIterable(text(CommandOutput.STDOUT, stdout.finish(), chunk.seq())),
                            Flux.fromIterable(text(CommandOutput.STDERR, stderr.finish(), chunk.seq())),
                            Flux.just(ServerSentEvent.<Object>builder(new Exit(commandId, chunk.exitCode(), Boolean.TRUE.equals(chunk.timedOut())))
                                    .event(CommandOutput.EXIT).id(Long.toString(chunk.seq())).build()));
                    default -> Flux.empty();
                });
    }

    private boolean firstDelivery(CommandOutput chunk) {
        if (chunk.stream() == null || chunk.seq() <= lastSeq) {
            return false;
        }
        lastSeq = chunk.seq();
        return true;
    }

    private static byte[] bytes(CommandOutput chunk) {
        return chunk.data() == null ? new byte[0] : chunk.data();
    }

    private static List<ServerSentEvent<Object>> text(String stream, String text, long seq) {
        List<ServerSentEvent<Object>> events = new ArrayList<>(1);
        if (!text.isEmpty()) {
            events.add(ServerSentEvent.<Object>builder(new Output(text)).event(stream).id(Long.toString(seq)).build());
        }
        return events;
    }
}
