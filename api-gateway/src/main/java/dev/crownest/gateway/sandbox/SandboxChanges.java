package dev.crownest.gateway.sandbox;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Sinks;

/**
 * Which sandbox of which tenant changed, as this gateway hears {@code sandbox-events}: what the live
 * sandbox stream ({@code GET /v1/sandboxes/events}) of each tenant follows. Only the event's
 * {@code tenantId} is read, and only while someone listens.
 */
@Component
public class SandboxChanges {

    /** One change: the sandbox and its tenant. */
    public record Change(String sandboxId, String tenantId) {
        /** First of every {@link #of} flux: from here on, no change is missed. */
        public static final Change LISTENING = new Change(null, null);
    }

    private static final JsonFactory JSON = new JsonFactory();

    // one emitter (the topic reader's thread); a listener too slow to keep up loses changes, never blocks it
    private final Sinks.Many<Change> sink = Sinks.many().multicast().directBestEffort();

    /** An event about {@code sandboxId} arrived, its value as published. */
    void heard(String sandboxId, byte[] value) {
        if (sink.currentSubscriberCount() == 0 || value == null) {
            return;
        }
        String tenantId = tenantOf(value);
        if (tenantId != null) {
            sink.tryEmitNext(new Change(sandboxId, tenantId));
        }
    }

    /**
     * {@link Change#LISTENING}, then the changes of one tenant's sandboxes. The marker comes once the
     * flux listens, so whatever a client does after seeing it is in the flux. It pushes regardless of
     * demand: bound it downstream.
     */
    public Flux<Change> of(String tenantId) {
        return Flux.create(
                out -> {
                    Disposable listening = sink.asFlux()
                            .filter(change -> tenantId.equals(change.tenantId()))
                            .subscribe(out::next);
                    out.onDispose(listening);
                    out.next(Change.LISTENING);
                },
                FluxSink.OverflowStrategy.IGNORE);
    }

    /** The top-level {@code tenantId} field, streamed: an event's other fields are never bound. */
    private static String tenantOf(byte[] value) {
        try (JsonParser parser = JSON.createParser(value)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken token = parser.nextToken();
                if ("tenantId".equals(field)) {
                    return token == JsonToken.VALUE_STRING ? parser.getText() : null;
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException notJson) {
            return null;
        }
    }
}
