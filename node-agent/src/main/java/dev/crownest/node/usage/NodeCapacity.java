package dev.crownest.node.usage;

import com.sun.management.OperatingSystemMXBean;
import dev.crownest.contracts.node.NodeResources;
import dev.crownest.contracts.node.WarmPoolLevel;
import dev.crownest.node.pool.WarmPool;
import dev.crownest.node.pool.WarmPoolProperties;
import dev.crownest.node.sandbox.LocalSandbox;
import dev.crownest.node.sandbox.NodeSandboxes;
import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * What this node offers and what its sandboxes hold, for its heartbeats. Capacity is the machine's
 * unless {@code crownest.node.capacity.*} says less (0: the machine's); its sandbox count is how many of
 * the default shape (512 MB) fit in its memory. A paused sandbox holds a slot but no CPU or memory.
 */
@Component
class NodeCapacity {
    private static final int DEFAULT_SANDBOX_MB = 512;

    private final NodeSandboxes sandboxes;
    private final WarmPool pool;
    private final WarmPoolProperties pools;
    private final NodeResources capacity;

    NodeCapacity(
            NodeSandboxes sandboxes,
            WarmPool pool,
            WarmPoolProperties pools,
            @Value("${crownest.node.capacity.cpu:0}") int cpu,
            @Value("${crownest.node.capacity.memory-mb:0}") long memoryMb,
            @Value("${crownest.node.capacity.sandboxes:0}") int sandboxCount) {
        this.sandboxes = sandboxes;
        this.pool = pool;
        this.pools = pools;
        int cores = cpu > 0 ? cpu : Runtime.getRuntime().availableProcessors();
        long memory = memoryMb > 0 ? memoryMb : machineMemoryMb();
        this.capacity = new NodeResources(
                cores, memory, sandboxCount > 0 ? sandboxCount : (int) Math.max(1, memory / DEFAULT_SANDBOX_MB));
    }

    NodeResources capacity() {
        return capacity;
    }

    NodeResources use() {
        Collection<LocalSandbox> held = sandboxes.all();
        int cpu = 0;
        long memoryMb = 0;
        for (LocalSandbox sandbox : held) {
            if (!sandbox.paused()) {
                cpu += sandbox.spec().cpu();
                memoryMb += sandbox.spec().memoryMb();
            }
        }
        return new NodeResources(cpu, memoryMb, held.size());
    }

    List<WarmPoolLevel> warmPool() {
        return new TreeMap<>(pools.warmPool())
                .keySet().stream()
                        .map(template ->
                                new WarmPoolLevel(template, pool.readyCount(template), pool.targetSize(template)))
                        .toList();
    }

    List<String> sandboxIds() {
        return sandboxes.all().stream().map(s -> s.spec().sandboxId()).toList();
    }

    private static long machineMemoryMb() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof OperatingSystemMXBean bean ? bean.getTotalMemorySize() / (1024 * 1024) : 0;
    }
}
