package dev.crownest.node.pool;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the warm pool sizes itself from demand ({@code crownest.node.warm-pool-sizing.*}); the floors are
 * {@link WarmPoolProperties}.
 *
 * @param memoryBudgetMb what all pooled sandboxes of this node may use together, in MB (env
 *                       {@code CROWNEST_WARM_POOL_MEMORY_BUDGET_MB}); each counts at the most any of them
 *                       uses (its cgroup's memory), at least {@code sandboxMemoryMb}
 * @param sandboxMemoryMb what a pooled sandbox counts at before one is measured, and at least
 * @param window         how long a create counts as demand; a pool goes back to its floor this long after
 *                       its last burst
 * @param burst          creates within this interval count together: the pool's target is the most of
 *                       them in any such interval of the window
 * @param maxPerTemplate the largest pool of one template (a floor above it stands)
 * @param concurrency    sandboxes started at once while the pool refills
 * @param freezeAfter    how long a pooled sandbox waits unclaimed before it is frozen until its claim
 *                       ({@link WarmPool}); 0: never frozen
 */
@ConfigurationProperties("crownest.node.warm-pool-sizing")
public record WarmPoolSizingProperties(
        Integer memoryBudgetMb,
        Integer sandboxMemoryMb,
        Duration window,
        Duration burst,
        Integer maxPerTemplate,
        Integer concurrency,
        Duration freezeAfter) {
    public WarmPoolSizingProperties {
        memoryBudgetMb = memoryBudgetMb == null ? 1024 : Math.max(0, memoryBudgetMb);
        sandboxMemoryMb = sandboxMemoryMb == null ? 32 : Math.max(1, sandboxMemoryMb);
        window = window == null ? Duration.ofMinutes(5) : window;
        burst = burst == null ? Duration.ofSeconds(10) : burst;
        maxPerTemplate = maxPerTemplate == null ? 16 : Math.max(0, maxPerTemplate);
        concurrency = concurrency == null ? 2 : Math.max(1, concurrency);
        freezeAfter = freezeAfter == null || freezeAfter.isNegative() ? Duration.ofSeconds(30) : freezeAfter;
    }

    /** The defaults above. */
    public static WarmPoolSizingProperties defaults() {
        return new WarmPoolSizingProperties(null, null, null, null, null, null, null);
    }
}
