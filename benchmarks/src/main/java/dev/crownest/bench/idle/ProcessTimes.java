package dev.crownest.bench.idle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One process's CPU times from {@code /proc/<pid>/stat}, in clock ticks: its own (utime + stime) and
 * that of its children it has waited for (cutime + cstime). The start time tells a pid reused by
 * another process from the same process.
 */
record ProcessTimes(long pid, long parent, long startTicks, long ownTicks, long childTicks, String name) {

    /** What this process and the children it reaped have used in all. */
    long totalTicks() {
        return ownTicks + childTicks;
    }

    boolean sameProcess(ProcessTimes other) {
        return other != null && other.startTicks == startTicks;
    }

    /** Empty when the process has gone (or cannot be read). */
    static Optional<ProcessTimes> read(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException | RuntimeException gone) {
            return Optional.empty();
        }
        // comm may hold spaces and parentheses: the fields start after its last ')'
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        if (open < 0 || close < open) {
            return Optional.empty();
        }
        String[] f = stat.substring(close + 2).split(" ");
        // f[0] is field 3 (state): ppid is field 4, utime..cstime fields 14-17, starttime field 22
        return Optional.of(new ProcessTimes(
                pid,
                Long.parseLong(f[1]),
                Long.parseLong(f[19]),
                Long.parseLong(f[11]) + Long.parseLong(f[12]),
                Long.parseLong(f[13]) + Long.parseLong(f[14]),
                stat.substring(open + 1, close)));
    }

    /** The NUL-separated arguments of the process, joined by spaces; empty when it has gone. */
    static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"))).replace('\0', ' ');
        } catch (IOException | RuntimeException gone) {
            return "";
        }
    }
}
