package dev.crownest.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * How a command runs: its working directory, environment, stdin, time limit and files to collect, and
 * the callbacks that make a run streamed. With {@link #onStdout} or {@link #onStderr} the output is
 * handed over as it comes (server-sent events); without them the run blocks until the exit.
 *
 * <pre>{@code
 * sandbox.commands().run("make test", new RunOptions().cwd("/workspace").onStdout(System.out::print));
 * }</pre>
 */
public final class RunOptions {

    Consumer<String> onStdout;
    Consumer<String> onStderr;
    Consumer<JsonNode> onGap;
    Consumer<String> onStart;
    final List<Object> collect = new ArrayList<>();
    Long timeoutMs;
    String cwd;
    final Map<String, String> env = new LinkedHashMap<>();
    String stdin;

    /** Called with each piece of stdout as it arrives (makes the run streamed). */
    public RunOptions onStdout(Consumer<String> callback) {
        this.onStdout = callback;
        return this;
    }

    /** Called with each piece of stderr as it arrives (makes the run streamed). */
    public RunOptions onStderr(Consumer<String> callback) {
        this.onStderr = callback;
        return this;
    }

    /**
     * Called when the platform did not keep part of the output (a {@code gap} event on reattach: its
     * {@code stream} and the number of {@code bytes} missing).
     */
    public RunOptions onGap(Consumer<JsonNode> callback) {
        this.onGap = callback;
        return this;
    }

    /** Called with the command's id as soon as a streamed run started. */
    public RunOptions onStart(Consumer<String> callback) {
        this.onStart = callback;
        return this;
    }

    /** Files (under /workspace, or absolute in it) to keep as artifacts when the command ends. */
    public RunOptions collect(String... paths) {
        collect.addAll(List.of(paths));
        return this;
    }

    /** A file to keep as an artifact under another name. */
    public RunOptions collect(String path, String name) {
        collect.add(Map.of("path", path, "name", name));
        return this;
    }

    /** The command is killed after this long ({@code timedOut} in its result). */
    public RunOptions timeout(Duration timeout) {
        this.timeoutMs = timeout.toMillis();
        return this;
    }

    /** The working directory (default /workspace). */
    public RunOptions cwd(String cwd) {
        this.cwd = cwd;
        return this;
    }

    /** One environment variable of the command (added to the sandbox's). */
    public RunOptions env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Environment variables of the command (added to the sandbox's). */
    public RunOptions env(Map<String, String> variables) {
        env.putAll(variables);
        return this;
    }

    /** Text given to the command's standard input. */
    public RunOptions stdin(String stdin) {
        this.stdin = stdin;
        return this;
    }

    boolean streamed() {
        return onStdout != null || onStderr != null;
    }

    /** The run request's JSON body. */
    Map<String, Object> body(String cmd) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("cmd", cmd);
        body.put("cwd", cwd);
        body.put("env", env.isEmpty() ? null : env);
        body.put("timeoutMs", timeoutMs);
        body.put("stdin", stdin);
        body.put("collect", collect.isEmpty() ? null : collect);
        body.values().removeIf(v -> v == null);
        return body;
    }
}
