package dev.crownest.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.crownest.node.pool.WarmPool;
import dev.crownest.testing.IntegrationTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The warm pool sizes itself from demand (real gVisor sandboxes): a burst of creates grows it above its
 * floor, never beyond the node's memory budget, and it goes back to its floor once the demand is older
 * than the window.
 */
@IntegrationTest
class DemandSizedWarmPoolIntegrationTest {
    private static final Path STATE = TestSandboxes.stateDir("node-pool-demand");
    private static final long BUDGET_BYTES = 96L << 20; // three pooled sandboxes at the 32 MB estimate

    @DynamicPropertySource
    static void node(DynamicPropertyRegistry registry) {
        TestSandboxes.register(registry, STATE, 1);
        registry.add("crownest.node.warm-pool-sizing.memory-budget-mb", () -> "96");
        registry.add("crownest.node.warm-pool-sizing.sandbox-memory-mb", () -> "32");
        // Long enough that a loaded machine's cold starts cannot outlast it before the growth is seen.
        registry.add("crownest.node.warm-pool-sizing.window", () -> "45s");
        registry.add("crownest.node.warm-pool-sizing.burst", () -> "5s");
        registry.add("crownest.node.warm-pool-sizing.max-per-template", () -> "8");
    }

    @LocalServerPort
    int port;

    @Autowired
    WarmPool pool;

    @AfterAll
    static void removeState() throws Exception {
        TestSandboxes.remove(STATE);
    }

    @Test
    void aBurstGrowsThePoolWithinTheBudgetAndIdleShrinksItToItsFloor() throws Exception {
        NodeAgentClient client = new NodeAgentClient(port);
        await().atMost(Duration.ofSeconds(60)).until(() -> pool.readyCount("base") == 1);
        assertThat(pool.targetSize("base")).isEqualTo(1);

        // Five creates of the pool's shape at once: the first is claimed, the others start cold. Each
        // counts as demand when it asks the pool, before its cold start.
        List<Future<String>> creates = new ArrayList<>();
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 5; i++) {
                creates.add(callers.submit(() -> {
                    String id = NodeAgentClient.newId();
                    assertThat(client.create(id, "base", 0, 0, 0).statusCode()).isEqualTo(201);
                    return id;
                }));
            }
            // Demand of 5 wants 5; the budget holds 3 (fewer if a pooled sandbox measures above 32 MB).
            await().atMost(Duration.ofSeconds(40))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        observeWithinBudget();
                        int target = pool.targetSize("base");
                        return target > 1 && pool.readyCount("base") == target;
                    });
            assertThat(pool.targetSize("base")).as("grown above the floor").isBetween(2, 3);
            for (Future<String> create : creates) {
                assertThat(client.delete(create.get())).isEqualTo(204);
            }
        }

        // No create for longer than the window: back to the floor.
        await().atMost(Duration.ofSeconds(40))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    observeWithinBudget();
                    return pool.targetSize("base") == 1 && pool.readyCount("base") == 1;
                });
    }

    /** The pool holds no more than the budget. */
    private void observeWithinBudget() {
        assertThat(pool.readyCount("base")).isLessThanOrEqualTo(3);
        assertThat(pool.pooledMemoryBytes()).isLessThanOrEqualTo(BUDGET_BYTES);
    }
}
