package dev.crownest.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crownest.testing.IntegrationTest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Cold create times on this node, printed, not asserted (a shared CI machine is too noisy for a
 * bound). Runs only with {@code -Dcrownest.measure=true}; {@code -Dcrownest.measure.images=false}
 * measures a plain /workspace directory for comparison.
 */
@IntegrationTest
class CreateTimeMeasurementTest {
    static final Path STATE = TestSandboxes.stateDir("node-measure");

    @DynamicPropertySource
    static void node(DynamicPropertyRegistry registry) {
        TestSandboxes.register(registry, STATE);
        registry.add(
                "crownest.node.limits.workspace-images", () -> System.getProperty("crownest.measure.images", "true"));
    }

    @LocalServerPort
    int port;

    @AfterAll
    static void removeState() throws Exception {
        TestSandboxes.remove(STATE);
    }

    @Test
    void coldCreate() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("crownest.measure"), "a measurement, run on request");
        NodeAgentClient client = new NodeAgentClient(port);
        List<Long> createMs = new ArrayList<>();
        List<Long> deleteMs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String id = NodeAgentClient.newId();
            long t0 = System.nanoTime();
            assertThat(client.create(id, "base", 1, 256, 0).statusCode()).isEqualTo(201);
            long t1 = System.nanoTime();
            assertThat(client.delete(id)).isEqualTo(204);
            long t2 = System.nanoTime();
            if (i >= 2) { // the first two warm the JVM and the page cache
                createMs.add((t1 - t0) / 1_000_000);
                deleteMs.add((t2 - t1) / 1_000_000);
            }
        }
        createMs.sort(null);
        deleteMs.sort(null);
        System.out.printf(
                "cold create (workspace images %s): p50 %d ms, p90 %d ms, all %s; delete p50 %d ms%n",
                System.getProperty("crownest.measure.images", "true"),
                createMs.get(createMs.size() / 2),
                createMs.get(createMs.size() * 9 / 10),
                createMs,
                deleteMs.get(deleteMs.size() / 2));
    }
}
