package dev.crownest.node.preview;

import dev.crownest.node.runtime.SandboxRuntime;
import dev.crownest.node.sandbox.LocalSandbox;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A byte stream to a TCP port inside a sandbox. Sandboxes of network {@code off} have nothing but
 * gVisor's own loopback, so the node cannot connect over IP; the one way in, for every mode alike, is
 * a relay started with {@code runsc exec}: bash connects to 127.0.0.1:PORT ({@code /dev/tcp}) and two
 * {@code cat}s copy between that socket and the exec's stdin and stdout. Bash prints one byte once
 * connected, so a port nobody listens on is known before any byte of the caller's goes anywhere.
 */
class PortRelay {
    /**
     * $1 is the port. Both copies run as jobs (stdin given explicitly: a background job's default is
     * /dev/null) and the first to end stops the other, so bash, and with it {@code runsc exec}, ends
     * when either the server closes (the caller sees EOF) or the caller leaves (nothing stays behind in
     * the sandbox, also with a keep-alive server). {@code runsc exec} holds the stdout pipe until then.
     */
    static final String SCRIPT = "exec 3<>/dev/tcp/127.0.0.1/$1 || exit 7; printf R; "
            + "cat <&3 & cat <&0 >&3 & wait -n; kill $(jobs -p) 2>/dev/null";

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "preview-relay-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final SandboxRuntime runtime;

    PortRelay(SandboxRuntime runtime) {
        this.runtime = runtime;
    }

    /** Connected to {@code port} in {@code sandbox}, or {@link PortClosed} when nothing answers there. */
    Process open(LocalSandbox sandbox, int port, Duration timeout) throws IOException, PortClosed {
        Process process = runtime.exec(
                sandbox.containerId(),
                "/",
                Map.of(),
                List.of("/bin/bash", "-c", SCRIPT, "relay", Integer.toString(port)));
        // bash's own complaint ("Connection refused") is all stderr ever carries; never let it fill up.
        Thread.ofVirtual().start(() -> {
            try (InputStream err = process.getErrorStream()) {
                err.transferTo(OutputStream.nullOutputStream());
            } catch (IOException ignored) {
                // the relay is gone
            }
        });
        var watchdog = WATCHDOG.schedule(process::destroyForcibly, timeout.toMillis(), TimeUnit.MILLISECONDS);
        int marker = process.getInputStream().read();
        watchdog.cancel(false);
        if (marker != 'R') {
            process.destroyForcibly();
            throw new PortClosed(port);
        }
        return process;
    }

    /** Nothing accepts connections on the port inside the sandbox (or the sandbox did not answer in time). */
    static class PortClosed extends Exception {
        PortClosed(int port) {
            super("nothing accepts connections on port " + port + " inside the sandbox", null, false, false);
        }
    }
}
