package dev.crownest.bench.api;

import com.sun.management.ThreadMXBean;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Watches another JVM's heap while a benchmark runs, over JMX: the local management agent is started in
 * it through the attach API (as {@code jcmd ManagementAgent.start_local} would), then its heap used is
 * read every 10 ms, with its resident set from /proc. jstat cannot do this: with the serial collector its
 * eden counter moves only at collections. Also answers the bytes its threads allocated on the heap and
 * its collections so far, so a transfer's heap traffic is known even between samples.
 */
final class HeapWatch implements AutoCloseable {

    /** One sample: when ({@link System#nanoTime}), heap used and resident set, in bytes. */
    record Sample(long nanos, long heapUsed, long rss) {}

    private final long pid;
    private final JMXConnector connector;
    private final MemoryMXBean memory;
    private final ThreadMXBean threads;
    private final List<GarbageCollectorMXBean> collectors;
    private final List<Sample> samples = new ArrayList<>();
    private final Thread sampler;
    private volatile boolean closed;

    HeapWatch(long pid) throws Exception {
        this.pid = pid;
        VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
        String address;
        try {
            address = vm.startLocalManagementAgent();
        } finally {
            vm.detach();
        }
        this.connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
        MBeanServerConnection server = connector.getMBeanServerConnection();
        this.memory = ManagementFactory.newPlatformMXBeanProxy(
                server, ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
        this.threads = ManagementFactory.newPlatformMXBeanProxy(
                server, ManagementFactory.THREAD_MXBEAN_NAME, ThreadMXBean.class);
        this.collectors = ManagementFactory.getPlatformMXBeans(server, GarbageCollectorMXBean.class);
        this.sampler = Thread.ofPlatform().daemon().start(this::sample);
    }

    /** The -Xmx the watched JVM was started with, as written on its command line, or "?". */
    String maxHeap() {
        try {
            String cmdline =
                    Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
            return Arrays.stream(cmdline.split(" "))
                    .filter(a -> a.startsWith("-Xmx"))
                    .findFirst()
                    .map(a -> a.substring(4))
                    .orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    /** Bytes allocated on the heap by the watched JVM's live threads so far. */
    long allocatedBytes() {
        return threads.getTotalThreadAllocatedBytes();
    }

    /** Collections so far, every collector. */
    long collections() {
        return collectors.stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionCount)
                .sum();
    }

    /** The samples taken between two moments ({@link System#nanoTime}), preceded by the last one before. */
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

    private void sample() {
        while (!closed) {
            try {
                long used = memory.getHeapMemoryUsage().getUsed();
                Sample s = new Sample(System.nanoTime(), used, readRss());
                synchronized (this) {
                    samples.add(s);
                }
                Thread.sleep(10);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
            }
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
    public void close() throws IOException {
        closed = true;
        sampler.interrupt();
        try {
            sampler.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connector.close();
    }
}
