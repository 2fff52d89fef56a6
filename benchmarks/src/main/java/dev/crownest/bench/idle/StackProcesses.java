package dev.crownest.bench.idle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Which processes of this machine belong to one stack, and under which name: each process started
 * from {@code CROWNEST_HOME/pids} (the services, Kafka), the PostgreSQL postmaster, and the node's
 * sandboxes (gVisor's {@code runsc-sandbox} and {@code runsc-gofer} processes under the node's runsc
 * root), each with all its descendants. A process belongs to its nearest such ancestor, so a sandbox
 * started by the node agent counts as the sandbox, a short-lived {@code runsc} call as the node agent.
 */
final class StackProcesses {
    private final Map<Long, String> named;

    private StackProcesses(Map<Long, String> named) {
        this.named = named;
    }

    /** The stack's named processes as they run now. */
    static StackProcesses find(Path home, Path pgData, Path runscRoot) throws IOException {
        Map<Long, String> named = new LinkedHashMap<>();
        try (Stream<Path> pidFiles = Files.list(home.resolve("pids"))) {
            for (Path f : pidFiles.sorted().toList()) {
                String name = f.getFileName().toString().replaceFirst("\\.pid$", "");
                firstLine(f).ifPresent(pid -> named.put(pid, name));
            }
        }
        firstLine(pgData.resolve("postmaster.pid")).ifPresent(pid -> named.put(pid, "postgresql"));
        String root = runscRoot.toString();
        for (long pid : allPids()) {
            // runsc re-executes itself (comm "exe"), naming the process in its first argument
            String cmd = ProcessTimes.commandLine(pid).trim();
            if (cmd.startsWith("runsc-") && cmd.contains(root)) {
                List<String> args = List.of(cmd.split(" "));
                // the container id is runsc's last argument
                named.put(pid, "sandbox " + args.getLast() + " (" + args.getFirst() + ")");
            }
        }
        return new StackProcesses(named);
    }

    /** Every live process of the stack by pid, each under the name of its nearest named ancestor. */
    Map<Long, Owned> snapshot() {
        Map<Long, ProcessTimes> all = new HashMap<>();
        for (long pid : allPids()) {
            ProcessTimes.read(pid).ifPresent(p -> all.put(pid, p));
        }
        Map<Long, Owned> owned = new HashMap<>();
        all.values().forEach(p -> {
            String owner = ownerOf(p, all);
            if (owner != null) {
                owned.put(p.pid(), new Owned(owner, p));
            }
        });
        return owned;
    }

    /** The names in the order found (services, Kafka, PostgreSQL, sandboxes). */
    List<String> names() {
        return named.values().stream().distinct().toList();
    }

    private String ownerOf(ProcessTimes p, Map<Long, ProcessTimes> all) {
        ProcessTimes at = p;
        for (int depth = 0; at != null && depth < 64; depth++) {
            String name = named.get(at.pid());
            if (name != null) {
                return name;
            }
            at = at.parent() > 1 ? all.get(at.parent()) : null;
        }
        return null;
    }

    /** A process and the name it counts under. */
    record Owned(String owner, ProcessTimes times) {}

    private static List<Long> allPids() {
        try (Stream<Path> proc = Files.list(Path.of("/proc"))) {
            return proc.map(p -> p.getFileName().toString())
                    .filter(n -> n.chars().allMatch(Character::isDigit))
                    .map(Long::parseLong)
                    .toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
    }

    private static Optional<Long> firstLine(Path file) {
        try {
            return Files.readAllLines(file).stream()
                    .findFirst()
                    .map(String::trim)
                    .filter(s -> !s.isEmpty())
                    .map(Long::parseLong);
        } catch (IOException | NumberFormatException missing) {
            return Optional.empty();
        }
    }
}
