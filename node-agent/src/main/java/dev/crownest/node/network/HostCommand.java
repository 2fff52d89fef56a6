package dev.crownest.node.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs ip and nft on the host. Arguments go as a list, never through a shell. */
final class HostCommand {
    private HostCommand() {}

    static String run(String stdin, List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (var in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new NetworkSetupException(command.get(0) + " timed out");
            }
            if (p.exitValue() != 0) {
                throw new NetworkSetupException(String.join(" ", command.subList(0, Math.min(3, command.size())))
                        + " failed: " + out.strip());
            }
            return out;
        } catch (IOException e) {
            throw new NetworkSetupException("cannot run " + command.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NetworkSetupException("interrupted");
        }
    }

    static String run(String... command) {
        return run(null, List.of(command));
    }

    /** For teardown: the goal is that the thing is gone, so "not there" is success. */
    static boolean tryRun(String... command) {
        try {
            run(command);
            return true;
        } catch (NetworkSetupException e) {
            return false;
        }
    }

    /** Whether the command runs and succeeds (for probing a tool: {@code ip -V}, {@code nft --version}). */
    static boolean available(String... probe) {
        try {
            return new ProcessBuilder(probe)
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .start()
                            .waitFor()
                    == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
