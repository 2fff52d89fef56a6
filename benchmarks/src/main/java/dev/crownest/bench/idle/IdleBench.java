package dev.crownest.bench.idle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code ./crownest bench idle [SETTLE_S] [MEASURE_S]}: the CPU a running single-node stack burns
 * while nothing happens. After SETTLE_S seconds (60) of quiet, every process of the stack
 * ({@link StackProcesses}: the services, Kafka, PostgreSQL with its backends, the warm pool's
 * sandboxes) is sampled every 10 s for MEASURE_S seconds (60) from {@code /proc/<pid>/stat}, and
 * its CPU is printed in cpu-seconds per 10 s, beside the target for the whole stack (issue 13).
 * Children a process reaped in a window count for it (cutime, cstime), minus what they had already
 * used at the window's start.
 */
public final class IdleBench {
    /** cpu-seconds per 10 s for the whole stack. */
    private static final double TARGET = 0.5;

    private static final long WINDOW_S = 10;

    public static void main(String[] args) throws Exception {
        long settle = args.length > 0 ? Long.parseLong(args[0]) : 60;
        long measure = args.length > 1 ? Long.parseLong(args[1]) : 60;
        Path home = Path.of(System.getenv().getOrDefault("CROWNEST_HOME", ".crownest"));
        Path pgData = Path.of(System.getProperty(
                "crownest.pg-data", home.resolve("postgres/data").toString()));
        Path runscRoot = Path.of(System.getProperty(
                "crownest.runsc-root", home.resolve("node/runsc").toString()));
        double ticksPerSecond = clockTicks();

        System.out.printf(
                "idle CPU of the stack in %s: %d s settle, %d s measured; load %s%n", home, settle, measure, load());
        Thread.sleep(settle * 1000);
        Map<String, Long> ticks = new TreeMap<>();
        var before = StackProcesses.find(home, pgData, runscRoot).snapshot();
        long start = System.nanoTime();
        for (long at = WINDOW_S; at <= Math.max(measure, WINDOW_S); at += WINDOW_S) {
            Thread.sleep(Math.max(0, start / 1_000_000 + at * 1000 - System.nanoTime() / 1_000_000));
            var after = StackProcesses.find(home, pgData, runscRoot).snapshot();
            Map<String, Long> window = used(before, after);
            window.forEach((owner, t) -> ticks.merge(owner, t, Long::sum));
            long sum = window.values().stream().mapToLong(Long::longValue).sum();
            System.out.printf("  %3d-%3d s: %.2f cpu-s (load %s)%n", at - WINDOW_S, at, sum / ticksPerSecond, load());
            before = after;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double perWindow = WINDOW_S / seconds / ticksPerSecond;
        System.out.printf("%-44s %14s%n", "process (with its children)", "cpu-s per 10 s");
        ticks.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> System.out.printf("%-44s %14.3f%n", e.getKey(), e.getValue() * perWindow));
        double total = ticks.values().stream().mapToLong(Long::longValue).sum() * perWindow;
        System.out.printf(
                "%-44s %14.3f   target <= %.2f: %s%n", "total", total, TARGET, total <= TARGET ? "met" : "MISSED");
        System.out.printf("load average at the end: %s%n", load());
    }

    /**
     * Clock ticks used by each owner between two snapshots. A process gone since {@code before} whose
     * parent is still there was reaped by it: its whole total is now in the parent's child times,
     * so what it had used before the window is taken off again.
     */
    static Map<String, Long> used(Map<Long, StackProcesses.Owned> before, Map<Long, StackProcesses.Owned> after) {
        Map<String, Long> used = new TreeMap<>();
        after.forEach((pid, now) -> {
            var then = before.get(pid);
            long base = then != null && now.times().sameProcess(then.times())
                    ? then.times().totalTicks()
                    : 0;
            used.merge(now.owner(), now.times().totalTicks() - base, Long::sum);
        });
        before.forEach((pid, then) -> {
            var now = after.get(pid);
            var parent = after.get(then.times().parent());
            if ((now == null || !now.times().sameProcess(then.times())) && parent != null) {
                used.merge(parent.owner(), -then.times().totalTicks(), Long::sum);
            }
        });
        return used;
    }

    private static double clockTicks() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").start();
            String out = new String(getconf.getInputStream().readAllBytes()).trim();
            return getconf.waitFor() == 0 ? Double.parseDouble(out) : 100;
        } catch (IOException | InterruptedException | NumberFormatException e) {
            return 100; // Linux's USER_HZ on every common build
        }
    }

    private static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }
}
