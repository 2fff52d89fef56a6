package dev.crownest.bench.runtime;

import dev.crownest.bench.BareRunsc;
import dev.crownest.bench.Figures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * gVisor's systrap platform against ptrace, side by side in one run: one bare runsc sandbox of the
 * base template on each, measured in alternating order so both see the same noise. Figures: exec of
 * {@code true} (a sandbox process start) and a syscall-heavy shell loop (every iteration opens,
 * writes and closes, so the platform's cost per system call dominates). The node agent's default is
 * systrap; ptrace stays a setting ({@code crownest.node.platform}). Part of {@code bench runtime};
 * also runs alone, needing only runsc and the base template:
 * {@code java -cp ... dev.crownest.bench.runtime.PlatformComparison [N] [TEMPLATES_DIR]}.
 */
public final class PlatformComparison {
    static final List<String> PLATFORMS = List.of("systrap", "ptrace");
    /** Seconds on either platform here: long enough that the exec around it is noise. */
    static final String SYSCALL_LOOP = "i=0; while [ $i -lt 20000 ]; do echo $i > /dev/null; i=$((i+1)); done";

    private final Figures figures = new Figures(40);

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path templates = args.length > 1
                ? Path.of(args[1])
                : Path.of(System.getProperty("user.home"), ".cache/crownest/templates");
        new PlatformComparison().run(n, templates.resolve("base/rootfs"));
    }

    /** Measures {@code n} rounds on the base rootfs and prints the table and the ratios. */
    public void run(int n, Path baseRootfs) throws Exception {
        if (!Files.isDirectory(baseRootfs)) {
            throw new IllegalStateException("no base template at " + baseRootfs);
        }
        try (BareRunsc systrap = new BareRunsc(baseRootfs, PLATFORMS.get(0));
                BareRunsc ptrace = new BareRunsc(baseRootfs, PLATFORMS.get(1))) {
            List<BareRunsc> sides = List.of(systrap, ptrace);
            // distinct ids: runsc names a container's host cgroups by its id
            for (int s = 0; s < sides.size(); s++) {
                sides.get(s).createAndStart(id(s), sides.get(s).bundle(id(s)));
            }
            try {
                for (int i = 0; i < n; i++) {
                    for (int k = 0; k < sides.size(); k++) {
                        int s = (i + k) % sides.size(); // alternate which platform goes first
                        measure(s, sides.get(s));
                    }
                }
            } finally {
                for (int s = 0; s < sides.size(); s++) {
                    sides.get(s).destroy(id(s));
                }
            }
        }
        print(n);
    }

    private static String id(int side) {
        return "platform-" + PLATFORMS.get(side);
    }

    private void measure(int side, BareRunsc runsc) throws Exception {
        String platform = PLATFORMS.get(side);
        long t0 = System.nanoTime();
        runsc.exec(id(side), "true");
        figures.since(platform + ": exec true", t0);
        t0 = System.nanoTime();
        runsc.exec(id(side), "/bin/sh", "-c", SYSCALL_LOOP);
        figures.since(platform + ": syscall loop (20,000 writes)", t0);
    }

    private void print(int n) {
        System.out.printf("gVisor platforms: %d rounds of bare runsc, systrap and ptrace interleaved%n", n);
        figures.printTable();
        for (String figure : List.of("exec true", "syscall loop (20,000 writes)")) {
            figures.printRatio(
                    "ratio " + figure + " ptrace / systrap",
                    figures.p50("ptrace: " + figure) / figures.p50("systrap: " + figure));
        }
    }
}
