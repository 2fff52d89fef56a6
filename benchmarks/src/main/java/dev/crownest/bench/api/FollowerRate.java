package dev.crownest.bench.api;

import static dev.crownest.bench.api.Medians.median;
import static dev.crownest.bench.api.Medians.runs;

import dev.crownest.sdk.CrowNest;
import java.net.HttpURLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A follower beside the first client of one fast stream (issue 12: a follower attached while a 100 MB
 * stream is live gets at least 0.9x the first client's rate). The first client streams a run of a command
 * that writes MEGABYTES of 'x' to stdout at full speed; once its first output arrived, a follower attaches
 * through the reattach route ({@code GET .../commands/{cid}/stream}, from the first byte). Each client's
 * rate is what it read over its own time, from its request to its exit event. Beside them, interleaved
 * round by round, the first client alone: what a follower costs the first (the node hands each piece to
 * both, so a slow follower slows the command).
 */
final class FollowerRate {
    private static final double TARGET = 0.9;
    /** How long the follower tries while the route does not know the command yet (its record is on its way). */
    private static final long ATTACH_PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** One client's read: bytes and gap bytes of stdout, and the nanoTimes of its request and its exit. */
    private record Client(StdoutEvents.Read read, long requestedNanos) {
        double mbPerSecond() {
            return read.stdout() / 1e6 / ((read.exitNanos() - requestedNanos) / 1e9);
        }
    }

    /** The follower, and how far the first client was when it asked to attach and when it was attached. */
    private record Follower(Client client, long askedNanos, long firstBytesAtAttach) {}

    private FollowerRate() {}

    /**
     * Two producers, as for {@link StdoutStreaming}: {@code tr} (8 KiB writes) and {@code cat} of a file in
     * the sandbox (128 KiB writes, several times faster), which leaves a follower less time to attach
     * before the node's kept window (8 MiB) has moved past the first byte. The file is written first.
     */
    static void measure(CrowNest api, String sandboxId, int megabytes, int rounds) throws Exception {
        long bytes = megabytes * 1_000_000L;
        String file = "/tmp/crownest-bench-follow.txt";
        StdoutEvents.writeFile(api, sandboxId, file, bytes);
        measure(
                api,
                sandboxId,
                bytes,
                rounds,
                "head -c | tr, 8 KiB writes",
                "head -c " + bytes + " /dev/zero | tr '\\0' 'x'");
        measure(api, sandboxId, bytes, rounds, "cat of a file, 128 KiB writes", "cat " + file);
    }

    private static void measure(CrowNest api, String sandboxId, long bytes, int rounds, String title, String cmd)
            throws Exception {
        String loadBefore = loadAverage();
        List<Double> alone = new ArrayList<>();
        List<Double> first = new ArrayList<>();
        List<Double> follower = new ArrayList<>();
        List<Double> ratio = new ArrayList<>();
        List<Double> attachedAtMb = new ArrayList<>();
        List<Double> attachMs = new ArrayList<>();
        List<Double> lagMs = new ArrayList<>();
        long gapBytes = 0;
        ExecutorService followers = Executors.newSingleThreadExecutor();
        try {
            for (int i = 0; i < rounds; i++) {
                long t0 = System.nanoTime();
                alone.add(checked(
                                new Client(StdoutEvents.read(StdoutEvents.run(api, sandboxId, cmd), n -> {}), t0),
                                bytes)
                        .mbPerSecond());

                AtomicLong firstRead = new AtomicLong();
                CountDownLatch live = new CountDownLatch(1);
                long t1 = System.nanoTime();
                HttpURLConnection run = StdoutEvents.run(api, sandboxId, cmd);
                String commandId = run.getHeaderField("x-crownest-command-id");
                Future<Follower> followed = followers.submit(() -> follow(api, sandboxId, commandId, live, firstRead));
                Client firstClient = checked(
                        new Client(
                                StdoutEvents.read(run, n -> {
                                    firstRead.set(n);
                                    live.countDown();
                                }),
                                t1),
                        bytes);
                Follower f = followed.get(5, TimeUnit.MINUTES);
                StdoutEvents.Read got = f.client().read();
                if (got.exitNanos() == 0 || got.stdout() + got.gapBytes() != bytes) {
                    throw new IllegalStateException("the follower read " + got.stdout() + " bytes and " + got.gapBytes()
                            + " in gaps of " + bytes + (got.exitNanos() == 0 ? ", and no exit" : ""));
                }
                gapBytes += got.gapBytes();
                first.add(firstClient.mbPerSecond());
                follower.add(f.client().mbPerSecond());
                ratio.add(f.client().mbPerSecond() / firstClient.mbPerSecond());
                attachedAtMb.add(f.firstBytesAtAttach() / 1e6);
                attachMs.add((f.client().requestedNanos() - f.askedNanos()) / 1e6);
                lagMs.add((got.exitNanos() - firstClient.read().exitNanos()) / 1e6);
            }
        } finally {
            followers.shutdownNow();
        }
        System.out.printf(
                "a follower beside the first client: %,d bytes of 'x' streamed (%s), median of %d interleaved rounds%n",
                bytes, title, rounds);
        System.out.printf("  first client alone (baseline):      %,8.1f MB/s   runs %s%n", median(alone), runs(alone));
        System.out.printf(
                "  first client, with a follower:      %,8.1f MB/s   runs %s   with/alone %.2fx%n",
                median(first), runs(first), median(first) / median(alone));
        System.out.printf(
                "  follower (reattach route):          %,8.1f MB/s   runs %s%n", median(follower), runs(follower));
        System.out.printf(
                "  follower/first %.2fx (target >= %.1fx)   runs %s%n",
                median(ratio),
                TARGET,
                ratio.stream().map(r -> String.format("%.2f", r)).toList());
        System.out.printf(
                "  the follower attached with the first client at %.1f MB (after %.0f ms of 404 command_not_found),"
                        + " ended %.0f ms after it; %,d bytes in gaps%n",
                median(attachedAtMb), median(attachMs), median(lagMs), gapBytes);
        System.out.printf("  load average before: %s   after: %s%n%n", loadBefore, loadAverage());
    }

    /**
     * Waits until the first client read its first output, then attaches from the first byte. While the
     * command's record is on its way (a run on the data plane is recorded from the node's outbox), the
     * route answers 404; tried again every 20 ms.
     */
    private static Follower follow(
            CrowNest api, String sandboxId, String commandId, CountDownLatch live, AtomicLong firstRead)
            throws Exception {
        if (!live.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the first client read no output within 60 s");
        }
        long asked = System.nanoTime();
        for (; ; ) {
            long requested = System.nanoTime();
            long firstAt = firstRead.get();
            HttpURLConnection connection;
            try {
                connection = StdoutEvents.follow(api, sandboxId, commandId);
            } catch (StdoutEvents.AnswerException e) {
                if (e.status != 404 || requested - asked > ATTACH_PATIENCE_NANOS) {
                    throw e;
                }
                Thread.sleep(20);
                continue;
            }
            return new Follower(new Client(StdoutEvents.read(connection, n -> {}), requested), asked, firstAt);
        }
    }

    private static Client checked(Client client, long bytes) {
        if (client.read().stdout() != bytes || client.read().exitNanos() == 0) {
            throw new IllegalStateException("the stream gave " + client.read().stdout() + " characters of stdout and "
                    + client.read().gapBytes() + " bytes in gaps, expected " + bytes
                    + (client.read().exitNanos() == 0 ? ", and no exit" : ""));
        }
        return client;
    }

    private static String loadAverage() throws Exception {
        String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return fields[0] + " " + fields[1] + " " + fields[2];
    }
}
