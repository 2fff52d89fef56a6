package dev.crownest.node.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PoolSizingTest {
    private static final long MB = 1 << 20;

    @Test
    void aTemplateGrowsToItsDemandAndNeverBelowItsFloor() {
        var sizing = new PoolSizing(1024 * MB, 16);
        assertThat(sizing.targets(Map.of("base", 2), Map.of("base", 10), 32 * MB))
                .isEqualTo(Map.of("base", 10));
        assertThat(sizing.targets(Map.of("base", 2), Map.of("base", 1), 32 * MB))
                .isEqualTo(Map.of("base", 2));
        assertThat(sizing.targets(Map.of("base", 2), Map.of(), 32 * MB)).isEqualTo(Map.of("base", 2));
    }

    @Test
    void demandIsCappedPerTemplateButAFloorAboveTheCapStands() {
        assertThat(new PoolSizing(1024 * MB, 4).targets(Map.of("base", 2), Map.of("base", 10), 32 * MB))
                .isEqualTo(Map.of("base", 4));
        assertThat(new PoolSizing(1024 * MB, 4).targets(Map.of("base", 6), Map.of("base", 10), 32 * MB))
                .isEqualTo(Map.of("base", 6));
    }

    @Test
    void allPoolsTogetherStayWithinTheMemoryBudgetFloorsFirst() {
        var sizing = new PoolSizing(160 * MB, 16); // room for 5 at 32 MB
        var targets = sizing.targets(Map.of("base", 2, "python", 1), Map.of("base", 10, "python", 10), 32 * MB);
        assertThat(targets.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(5);
        // floors (2 + 1) first, then the remaining two in turn
        assertThat(targets).isEqualTo(Map.of("base", 3, "python", 2));
        // a budget below the floors: what fits, nothing more
        assertThat(new PoolSizing(64 * MB, 16).targets(Map.of("base", 4), Map.of("base", 4), 32 * MB))
                .isEqualTo(Map.of("base", 2));
        // measured sandboxes bigger than the estimate: fewer fit
        assertThat(new PoolSizing(160 * MB, 16).targets(Map.of("base", 1), Map.of("base", 10), 80 * MB))
                .isEqualTo(Map.of("base", 2));
    }

    @Test
    void aZeroFloorOrAZeroBudgetMeansNoPool() {
        assertThat(new PoolSizing(1024 * MB, 16).targets(Map.of("base", 0), Map.of("base", 5), 32 * MB))
                .isEmpty();
        assertThat(new PoolSizing(0, 16).targets(Map.of("base", 2), Map.of("base", 5), 32 * MB))
                .isEqualTo(Map.of("base", 0));
    }
}
