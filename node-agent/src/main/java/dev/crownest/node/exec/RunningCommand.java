package dev.crownest.node.exec;

import dev.crownest.node.runtime.SandboxRuntime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A command running in a sandbox, as far as cancelling it goes. runsc writes the pid the command has
 * inside the sandbox to {@code pidFile}; runsc exec makes that process the leader of a new session and
 * process group, so killing the group {@code -pid} ends the command and all it started
 * (unless it left the group on purpose, e.g. with setsid). One kill is not enough for a fork bomb:
 * a child forked while the group is being killed can survive it (seen under gVisor), so the group is
 * killed until no member is left. The killer is a shell builtin loop started by runsc exec itself, so
 * it runs even when the bomb holds every process slot of RLIMIT_NPROC.
 */
final class RunningCommand {
    private final String containerId;
    private final Path pidFile;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicBoolean killed = new AtomicBoolean();

    RunningCommand(String containerId, Path pidFile) {
        this.containerId = containerId;
        this.pidFile = pidFile;
    }

    Path pidFile() {
        return pidFile;
    }

    boolean cancelled() {
        return cancelled.get();
    }

    /** Marks the command cancelled (its exit chunk says so) and kills its process group. */
    void cancel(SandboxRuntime runsc) {
        cancelled.set(true);
        killGroup(runsc);
    }

    /** Kills the command's process group inside the sandbox (once per command); quiet if it is gone. */
    void killGroup(SandboxRuntime runsc) {
        if (killed.getAndSet(true)) {
            return;
        }
        // A client that went away gets the request thread interrupted (Spring cancels its async task), maybe
        // while this runs, and reading the pid file or talking to Docker fails on an interrupt: the kill runs
        // on a thread of its own, which nothing interrupts; it takes seconds at most (pid wait, kill wait).
        Thread killer = Thread.ofVirtual().start(() -> killGroupNow(runsc));
        boolean interrupted = false;
        while (killer.isAlive()) {
            try {
                killer.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void killGroupNow(SandboxRuntime runsc) {
        try {
            Long pid = awaitPid();
            if (pid == null) {
                return;
            }
            // dash's kill takes no "--"; "-9 -PID" is the group.
            Process kill = runsc.exec(containerId, "/", Map.of(),
                    "i=0; while [ $i -lt 20000 ] && kill -9 -" + pid + " 2>/dev/null; do i=$((i+1)); done");
            kill.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            if (!kill.waitFor(10, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
            }
        } catch (IOException e) {
            // the sandbox is gone, and the command with it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** runsc writes the pid file as the command starts; a cancel can come a moment earlier. */
    private Long awaitPid() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            if (Files.exists(pidFile)) {
                String text = Files.readString(pidFile).strip();
                if (!text.isEmpty()) {
                    long pid = Long.parseLong(text);
                    // never "kill -1": that would be every process in the sandbox
                    return pid > 1 ? pid : null;
                }
            }
            Thread.sleep(10);
        }
        return null;
    }
}
