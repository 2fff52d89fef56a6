package dev.crownest.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.crownest.sdk.CommandResult;
import dev.crownest.sdk.CreateSandboxOptions;
import dev.crownest.sdk.Sandbox;
import dev.crownest.sdk.SandboxInfo;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A sandbox that dies on its node without being asked (past its memory limit the host's OOM killer
 * ends it whole) ends in the control plane too: status failed with the reason, so it stops counting
 * against the tenant's concurrency and the API does not show a corpse as running.
 */
class SandboxDeathTest {
    @Test
    void aSandboxKilledByTheOutOfMemoryKillerEndsFailedWithItsReason() {
        Sandbox sandbox = SystemUnderTest.client()
                .sandboxes()
                .create(new CreateSandboxOptions().template("base").memoryMb(128));
        // 512 MiB held in one line, in a 128 MiB sandbox
        CommandResult hog = sandbox.commands().run("head -c 512m /dev/zero | tail -n 1 | wc -c");
        assertThat(hog.exitCode()).as(hog.toString()).isNotZero();
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> {
                    SandboxInfo view = sandbox.refresh().info();
                    assertThat(view.status()).as(view.toString()).isEqualTo("failed");
                    assertThat(view.failureReason()).isEqualTo("out_of_memory");
                });
        assertThat(SystemUnderTest.runningOnNode()).doesNotContain(sandbox.id());
    }
}
