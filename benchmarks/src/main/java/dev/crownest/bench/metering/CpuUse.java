package dev.crownest.bench.metering;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time used by a service's JVM and by the stack's PostgreSQL (the postmaster and every backend),
 * read from {@code /proc}: what a throughput figure costs, which the machine's load does not move the
 * way it moves the rate. Backends that exit in between are not counted (the services' pools keep
 * theirs open).
 */
final class CpuUse {
    /** USER_HZ: the unit of /proc/PID/stat's times, 100 on Linux. */
    private static final double TICK_NANOS = 1e9 / 100;

    private final long servicePid;
    private final long postmasterPid;

    CpuUse(Path crownestHome, String service) throws IOException {
        this.servicePid =
                Long.parseLong(Files.readString(crownestHome.resolve("pids").resolve(service + ".pid"))
                        .trim());
        this.postmasterPid = Long.parseLong(Files.readAllLines(crownestHome.resolve("postgres/data/postmaster.pid"))
                .get(0)
                .trim());
    }

    /** Nanoseconds of CPU so far: {service, PostgreSQL}. */
    long[] now() {
        long postgres = ticks(postmasterPid);
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            postgres += processes
                    .filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .mapToLong(p -> parent(p) == postmasterPid
                            ? ticks(Long.parseLong(p.getFileName().toString()))
                            : 0)
                    .sum();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return new long[] {(long) (ticks(servicePid) * TICK_NANOS), (long) (postgres * TICK_NANOS)};
    }

    /** utime + stime of a process, in ticks; 0 if it is gone. */
    private static long ticks(long pid) {
        String[] fields = stat(Path.of("/proc", Long.toString(pid)));
        return fields == null ? 0 : Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static long parent(Path process) {
        String[] fields = stat(process);
        return fields == null ? -1 : Long.parseLong(fields[1]);
    }

    /** The fields of /proc/PID/stat after the command name (which may hold spaces): state first. */
    private static String[] stat(Path process) {
        try {
            String stat = Files.readString(process.resolve("stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (IOException e) {
            return null;
        }
    }
}
