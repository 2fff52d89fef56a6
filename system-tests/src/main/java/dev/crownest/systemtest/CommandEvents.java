package dev.crownest.systemtest;

import dev.crownest.sdk.CrowNest;
import dev.crownest.sdk.RawEvent;
import dev.crownest.sdk.RawStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A command's server-sent events as they come, through the SDK's raw hatch: for the tests and benches that
 * look at the events themselves (names, ids, gaps, the exit's payload), which the typed
 * {@code commands().run(cmd, options)} folds into its result.
 */
public final class CommandEvents {

    private static final Map<String, String> EVENT_STREAM = Map.of("accept", "text/event-stream");

    /** Runs {@code cmd} streamed, handing each event to {@code onEvent} up to the exit; answers the HTTP status. */
    public static int run(CrowNest api, String sandboxId, String cmd, Consumer<RawEvent> onEvent) {
        return run(api, sandboxId, Map.of("cmd", cmd), onEvent);
    }

    /** {@link #run(CrowNest, String, String, Consumer)} with a whole run request (collect, env, ...). */
    public static int run(CrowNest api, String sandboxId, Map<String, Object> runRequest, Consumer<RawEvent> onEvent) {
        Map<String, Object> body = new LinkedHashMap<>(runRequest);
        body.put("stream", true);
        try (RawStream stream = api.http().open("POST", commands(sandboxId), body, EVENT_STREAM)) {
            return untilExit(stream, onEvent);
        }
    }

    /**
     * Follows a command through {@code GET .../commands/{cid}/stream} from {@code lastEventId} (null: its first
     * byte), handing each event to {@code onEvent} until the exit or the stream's end; answers the HTTP status.
     * A connection that breaks off is an {@link UncheckedIOException} (the caller reattaches).
     */
    public static int follow(
            CrowNest api, String sandboxId, String commandId, String lastEventId, Consumer<RawEvent> onEvent) {
        Map<String, String> headers = new LinkedHashMap<>(EVENT_STREAM);
        if (lastEventId != null) {
            headers.put("last-event-id", lastEventId);
        }
        String path = commands(sandboxId) + "/" + commandId + "/stream";
        try (RawStream stream = api.http().open("GET", path, null, headers)) {
            return untilExit(stream, onEvent);
        }
    }

    private static int untilExit(RawStream stream, Consumer<RawEvent> onEvent) {
        if (stream.status() == 200) {
            stream.events(event -> {
                onEvent.accept(event);
                return !event.event().equals("exit");
            });
        }
        return stream.status();
    }

    private static String commands(String sandboxId) {
        return "/v1/sandboxes/" + sandboxId + "/commands";
    }

    private CommandEvents() {}
}
