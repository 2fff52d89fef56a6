package dev.crownest.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A sandbox that dies on its node without being asked (past its memory limit the host's OOM killer
 * ends it whole) ends in the control plane too: status failed with the reason, so it stops counting
 * against the tenant's concurrency and the API does not show a corpse as running.
 */
class SandboxDeathTest {
    @Test
    void aSandboxKilledByTheOutOfMemoryKillerEndsFailedWithItsReason() {
        PlatformClient api = SystemUnderTest.client();
        PlatformClient.Answer created = api.post("/v1/sandboxes", Map.of("template", "base", "memoryMb", 128));
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        String id = created.text("id");
        // 512 MiB held in one line, in a 128 MiB sandbox
        PlatformClient.Answer hog = api.run(id, "head -c 512m /dev/zero | tail -n 1 | wc -c");
        assertThat(hog.body().path("exitCode").asInt()).as(hog.raw()).isNotZero();
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> {
                    PlatformClient.Answer view = api.get("/v1/sandboxes/" + id);
                    assertThat(view.text("status")).as(view.raw()).isEqualTo("failed");
                    assertThat(view.text("failureReason")).isEqualTo("out_of_memory");
                });
        assertThat(SystemUnderTest.runningOnNode()).doesNotContain(id);
    }
}
