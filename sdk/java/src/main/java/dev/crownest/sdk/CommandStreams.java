package dev.crownest.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Streamed runs and reattaching: reads a command's server-sent events (stdout, stderr, gap, exit, error)
 * into the callbacks, and follows a command again when its stream was lost, never starting it twice.
 */
final class CommandStreams {

    private static final int RECONNECTS = 5;
    /** The code of an error event that ends a stream, not its command: the gateway lost the output under it. */
    private static final String OUTPUT_INTERRUPTED = "output_interrupted";

    private static final Pattern COMMAND_IN_MESSAGE = Pattern.compile("/commands/(cmd_[A-Za-z0-9_-]+)");

    /** What a stream gave so far. */
    static final class Output {
        final StringBuilder stdout = new StringBuilder();
        final StringBuilder stderr = new StringBuilder();
        String lastEventId;
        JsonNode exit;
    }

    private final Commands commands;
    private final Transport http;

    CommandStreams(Commands commands) {
        this.commands = commands;
        this.http = commands.http;
    }

    /**
     * A streamed run. One Idempotency-Key for every attempt: a retry the gateway answers with 409
     * {@code idempotent_stream_not_replayable} means the first attempt started the command, which is then
     * followed through the stream route: the same output, never a second run. A stream that breaks off, or
     * that the gateway ends with an {@code output_interrupted} error event, is followed the same way from
     * its last event.
     */
    CommandResult run(Map<String, Object> request, RunOptions options) {
        Instant startedAt = Instant.now();
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = new LinkedHashMap<>(request);
        body.put("stream", true);
        String cmd = (String) request.get("cmd");
        Output out = new Output();
        String commandId = null;
        for (int attempt = 0; commandId == null; attempt++) {
            try {
                HttpResponse<InputStream> res = http.call("POST", commands.path)
                        .json(body)
                        .header("accept", "text/event-stream")
                        .idempotencyKey(key)
                        .noConnectionRetry()
                        .send();
                commandId = res.headers().firstValue("x-crownest-command-id").orElse(null);
                started(options, commandId);
                consume(res.body(), out, options);
            } catch (ConflictException e) {
                if (!"idempotent_stream_not_replayable".equals(e.code())) {
                    throw e;
                }
                commandId = commandOf(e);
                if (commandId == null) {
                    commandId = findStarted(cmd, startedAt, 20);
                }
                started(options, commandId);
            } catch (ConnectionException e) {
                if (commandId != null) {
                    break; // the stream broke off after it began: reattach below from its last event
                }
                if (attempt >= http.maxRetries || Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                // The answer was lost: the command may run already. The gateway gives a key back when its
                // client goes away before an answer began, so a second POST could run it again; look first.
                commandId = findStartedOrNull(cmd, startedAt);
                if (commandId == null) {
                    Transport.sleep(http.delay(attempt));
                    continue;
                }
                started(options, commandId);
            }
        }
        if (out.exit == null) {
            return connect(commandId, options, out);
        }
        return result(commandId, out);
    }

    /**
     * Follows {@code commandId} through its stream route from {@code out.lastEventId}, until its exit. A
     * stream that breaks off (a dropped connection, a gateway that stopped under it) is followed again from
     * its last event, after a back-off while the gateway cannot be reached; {@link #RECONNECTS} attempts in
     * a row that bring nothing new give up.
     */
    CommandResult connect(String commandId, RunOptions options, Output out) {
        String streamPath = commands.path + "/" + Transport.seg(commandId) + "/stream";
        for (int failures = 0; out.exit == null; ) {
            String from = out.lastEventId;
            try {
                HttpResponse<InputStream> res = http.call("GET", streamPath)
                        .header("accept", "text/event-stream")
                        .header("last-event-id", from)
                        .send();
                consume(res.body(), out, options);
            } catch (NotFoundException e) {
                if ("route_not_found".equals(e.code())) {
                    return pollRecord(commandId, out, options);
                }
                throw e;
            } catch (ConnectionException lost) {
                // followed again from the last event seen
            }
            if (out.exit != null || !Objects.equals(from, out.lastEventId)) {
                failures = 0;
            } else if (++failures > RECONNECTS) {
                throw new StreamException(CrowNestException.Details.of(
                        "the output stream of " + commandId + " broke off " + failures + " times in a row",
                        "stream_lost"));
            } else {
                Transport.sleep(http.delay(failures - 1));
            }
        }
        return result(commandId, out);
    }

    /** A gateway without the stream route: the record, once finished, still has the kept output. */
    private CommandResult pollRecord(String commandId, Output out, RunOptions options) {
        CommandRecord record = commands.awaitFinished(commands.get(commandId));
        emitRest(record.stdout(), out.stdout, options.onStdout);
        emitRest(record.stderr(), out.stderr, options.onStderr);
        return CommandResult.of(record);
    }

    private static void emitRest(String kept, StringBuilder seen, Consumer<String> callback) {
        if (kept != null && kept.length() > seen.length() && callback != null) {
            callback.accept(kept.substring(seen.length()));
        }
    }

    private CommandResult result(String commandId, Output out) {
        return CommandResult.of(commands.get(commandId), out.stdout.toString(), out.stderr.toString());
    }

    private static void started(RunOptions options, String commandId) {
        if (options.onStart != null && commandId != null) {
            options.onStart.accept(commandId);
        }
    }

    /**
     * Reads events into {@code out}, calling the callbacks; returns at the exit event or the body's end, and
     * at an {@code output_interrupted} error: the gateway lost the output under this stream (it stopped, or
     * the node went away), not the command, so the caller follows it again from the last event as after a
     * dropped connection. Any other error event is a {@link StreamException}.
     */
    private void consume(InputStream body, Output out, RunOptions options) {
        try {
            ServerSentEvents.read(body, ev -> {
                if (ev.id() != null) {
                    out.lastEventId = ev.id();
                }
                JsonNode data = parse(ev.data());
                switch (ev.event()) {
                    case "stdout" -> emit(data.path("data").asText(""), out.stdout, options.onStdout);
                    case "stderr" -> emit(data.path("data").asText(""), out.stderr, options.onStderr);
                    case "gap" -> {
                        if (options.onGap != null) {
                            options.onGap.accept(data);
                        }
                    }
                    case "exit" -> out.exit = data;
                    case "error" -> {
                        if (OUTPUT_INTERRUPTED.equals(
                                data.path("error").path("code").asText())) {
                            return false;
                        }
                        throw streamError(data);
                    }
                    default -> {
                        // events of a later API version: ignored
                    }
                }
                return out.exit == null;
            });
        } catch (IOException e) {
            ConnectionException lost = new ConnectionException(CrowNestException.Details.of(
                    "the output stream broke off: " + e.getMessage(), "connection_failed"));
            lost.initCause(e);
            throw lost;
        }
    }

    private static void emit(String text, StringBuilder all, Consumer<String> callback) {
        all.append(text);
        if (callback != null && !text.isEmpty()) {
            callback.accept(text);
        }
    }

    private static JsonNode parse(String data) {
        try {
            return data == null || data.isEmpty() ? Transport.JSON.createObjectNode() : Transport.JSON.readTree(data);
        } catch (IOException e) {
            return Transport.JSON.createObjectNode().put("data", data);
        }
    }

    private static StreamException streamError(JsonNode data) {
        JsonNode e = data.path("error");
        return new StreamException(new CrowNestException.Details(
                e.path("message").asText("the output stream failed"),
                0,
                e.path("code").asText("stream_failed"),
                e.path("type").asText(null),
                e.path("requestId").asText(null),
                data,
                null));
    }

    /** The command a 409 names: its {@code commandId}, else the record's path in its message. */
    private static String commandOf(ConflictException e) {
        JsonNode named = e.body() == null ? null : e.body().path("error").get("commandId");
        if (named != null && named.isTextual()) {
            return named.asText();
        }
        Matcher m = COMMAND_IN_MESSAGE.matcher(e.getMessage() == null ? "" : e.getMessage());
        return m.find() ? m.group(1) : null;
    }

    private String findStartedOrNull(String cmd, Instant startedAt) {
        try {
            return findStarted(cmd, startedAt, 1);
        } catch (CrowNestException notYet) {
            return null;
        }
    }

    /**
     * The command this client started at {@code startedAt} when no answer names it: the newest with that
     * cmd since then. Two identical commands started by one client at once are not told apart.
     */
    private String findStarted(String cmd, Instant startedAt, int tries) {
        Instant since = startedAt.minusSeconds(5);
        for (int i = 0; i < tries; i++) {
            for (CommandRecord c : commands.list(null, 50).data()) {
                if (cmd.equals(c.cmd())
                        && c.startedAt() != null
                        && !c.startedAt().isBefore(since)) {
                    return c.id();
                }
            }
            if (i + 1 < tries) {
                Transport.sleep(Duration.ofMillis(250));
            }
        }
        throw new CrowNestException(CrowNestException.Details.of(
                "the streamed run started but its command could not be found", "command_not_found"));
    }
}
