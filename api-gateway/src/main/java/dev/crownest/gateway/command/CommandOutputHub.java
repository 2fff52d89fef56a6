package dev.crownest.gateway.command;

import dev.crownest.contracts.event.CommandOutput;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Hands {@code command-output} chunks to the client connection streaming that command on this gateway.
 * A listener is opened before the command is started, so its first chunk cannot be missed; chunks of
 * commands nobody here streams are dropped.
 */
@Component
public class CommandOutputHub {

    private final ConcurrentHashMap<String, Sinks.Many<CommandOutput>> listeners = new ConcurrentHashMap<>();

    /** Starts buffering the chunks of {@code commandId} until the returned listener is read or closed. */
    public Listener open(String commandId) {
        Sinks.Many<CommandOutput> sink = Sinks.many().unicast().onBackpressureBuffer();
        listeners.put(commandId, sink);
        return new Listener(commandId, sink);
    }

    /** Called by the {@code command-output} reader, on its single thread. */
    void publish(String commandId, CommandOutput chunk) {
        Sinks.Many<CommandOutput> sink = listeners.get(commandId);
        if (sink != null) {
            sink.tryEmitNext(chunk);
        }
    }

    int openListeners() {
        return listeners.size();
    }

    /** The chunks of one command, for one reader. */
    public final class Listener {
        private final String commandId;
        private final Sinks.Many<CommandOutput> sink;

        private Listener(String commandId, Sinks.Many<CommandOutput> sink) {
            this.commandId = commandId;
            this.sink = sink;
        }

        public String commandId() {
            return commandId;
        }

        /** The chunks as they arrive; may be subscribed once. Closes the listener when the subscriber ends. */
        public Flux<CommandOutput> chunks() {
            return sink.asFlux().doFinally(signal -> close());
        }

        /** Stops listening; idempotent. */
        public void close() {
            listeners.remove(commandId, sink);
        }
    }
}
