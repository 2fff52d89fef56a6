package dev.crownest.systemtest.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Watches another JVM's heap while a benchmark runs: {@code jstat -gc PID 50} (perf data, no attach,
 * so the watched process is not disturbed) every 50 ms, plus its resident set from /proc every 50 ms.
 * Heap used = survivors + eden + old; with a serial collector eden fills with garbage between
 * collections, so the old generation's growth says more about what is held than the peak alone.
 */
final class HeapWatch implements AutoCloseable {

    /** One sample: when, heap used and old generation used (bytes), resident set (bytes). */
    record Sample(long nanos, long heapUsed, long oldUsed, long rss) {
    }

    private final long pid;
    private final Process jstat;
    private final List<Sample> samples = new ArrayList<>();
    private final Thread reader;
    private volatile long rss;
    private final Thread rssPoller;
    private volatile boolean closed;

    HeapWatch(long pid) throws IOException {
        this.pid = pid;
        this.jstat = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jstat").toString(), "-gc",
                Long.toString(pid), "50").redirectErrorStream(true).start();
        this.rssPoller = Thread.ofPlatform().daemon().start(() -> {
            while (!closed) {
                rss = readRss();
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        this.reader = Thread.ofPlatform().daemon().start(this::read);
    }

    /** The -Xmx the watched JVM was started with, as written on its command line, or "?". */
    String maxHeap() {
        try {
            String cmdline = Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
            return Arrays.stream(cmdline.split(" ")).filter(a -> a.startsWith("-Xmx")).findFirst().map(a -> a.substring(4)).orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    /** The samples taken between two moments ({@link System#nanoTime}), and the last one before the first. */
    synchronized List<Sample> between(long fromNanos, long toNanos) {
        List<Sample> window = new ArrayList<>();
        Sample before = null;
        for (Sample s : samples) {
            if (s.nanos() < fromNanos) {
                before = s;
            } else if (s.nanos() <= toNanos) {
                window.add(s);
            }
        }
        if (before != null) {
            window.addFirst(before);
        }
        return window;
    }

    private void read() {
        try (var lines = new BufferedReader(new InputStreamReader(jstat.getInputStream(), StandardCharsets.UTF_8))) {
            int[] columns = null;
            for (String line; (line = lines.readLine()) != null; ) {
                String[] cells = line.trim().split("\\s+");
                if (cells.length > 0 && cells[0].equals("S0C")) {
                    List<String> header = List.of(cells);
                    columns = new int[]{header.indexOf("S0U"), header.indexOf("S1U"), header.indexOf("EU"), header.indexOf("OU")};
                    continue;
                }
                if (columns == null || cells.length <= columns[3]) {
                    continue;
                }
                double kb = 0;
                for (int c : columns) {
                    kb += Double.parseDouble(cells[c]);
                }
                long old = (long) (Double.parseDouble(cells[columns[3]]) * 1024);
                synchronized (this) {
                    samples.add(new Sample(System.nanoTime(), (long) (kb * 1024), old, rss));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // the watch ends; figures come from what was sampled
        }
    }

    private long readRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // gone
        }
        return 0;
    }

    @Override
    public void close() {
        closed = true;
        jstat.destroy();
        rssPoller.interrupt();
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
