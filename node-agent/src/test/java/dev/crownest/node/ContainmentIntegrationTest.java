package dev.crownest.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crownest.contracts.event.Topics;
import dev.crownest.node.NodeAgentClient.Exec;
import dev.crownest.testing.IntegrationTest;
import dev.crownest.testing.TestInfrastructure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What a hostile command can do inside a sandbox, against real runsc: it cannot read the host's
 * files, and forking, memory, disk and CPU stop at the sandbox's limits while the sandbox (and the
 * host) live on.
 */
@IntegrationTest
class ContainmentIntegrationTest {
    static final Path STATE = TestSandboxes.stateDir("node-containment");
    private static final int MAX_PROCESSES = 64;

    @DynamicPropertySource
    static void node(DynamicPropertyRegistry registry) {
        TestSandboxes.register(registry, STATE);
        registry.add("crownest.node.limits.max-processes", () -> MAX_PROCESSES);
    }

    @LocalServerPort
    int port;

    @AfterAll
    static void removeState() throws Exception {
        TestSandboxes.remove(STATE);
    }

    @Test
    void aFilePlantedOnTheHostCannotBeReadFromInside() throws Exception {
        String secret = UUID.randomUUID().toString();
        Path planted = Files.createTempFile("crownest-secret", ".txt");
        Files.writeString(planted, secret);
        try (var sandbox = TestSandboxes.start(port, "base", 1, 256, 0)) {
            Exec read = sandbox.exec(
                    "cat " + planted + "; cat /workspace/../" + planted + "; " + "grep -rs " + secret
                            + " /tmp /workspace /proc/1/root/tmp; echo done",
                    20_000);
            assertThat(read.stdout()).doesNotContain(secret).endsWith("done\n");
            assertThat(read.stderr()).contains("No such file");
        } finally {
            Files.deleteIfExists(planted);
        }
    }

    @Test
    void aForkBombIsCappedAndTheSandboxAnswersAfterwards() throws Exception {
        // 1 GiB: 64 shells under ptrace are far below it, so only the process cap is what is tested
        try (var sandbox = TestSandboxes.start(port, "base", 1, 1024, 0)) {
            // Each bomb process forks two more without end; RLIMIT_NPROC stops it at MAX_PROCESSES, and
            // the command's timeout kills its whole process group.
            Exec bomb = sandbox.exec("bomb() { bomb | bomb & }; bomb; exec sleep 10", 3_000);
            System.out.printf(
                    "fork bomb: exit %d timedOut %s, stderr %s%n",
                    bomb.exitCode(),
                    bomb.timedOut(),
                    bomb.stderr().lines().findFirst().orElse(""));
            assertThat(bomb.stderr()).containsAnyOf("Cannot fork", "Resource temporarily unavailable");
            assertThat(bomb.timedOut()).isTrue();
            // killed processes are reaped by PID 1 a moment later; on a loaded machine that takes a while
            Exec[] last = {null};
            Awaitility.await()
                    .atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() ->
                            (last[0] = sandbox.exec("echo alive; ps -e --no-headers | wc -l", 10_000)).exitCode() == 0
                                    && Integer.parseInt(last[0].stdout()
                                                    .lines()
                                                    .skip(1)
                                                    .findFirst()
                                                    .orElse("99")
                                                    .strip())
                                            < 10);
            Exec after = last[0];
            // tini (PID 1) reaped the bomb's orphans: they do not count against the limit any more
            assertThat(after.stdout()).startsWith("alive\n");
            int processes = Integer.parseInt(
                    after.stdout().lines().skip(1).findFirst().orElseThrow().strip());
            System.out.printf("after the fork bomb: %d processes%n", processes);
            assertThat(processes).isLessThan(10);
        }
    }

    /**
     * gVisor has no OOM killer of its own here: the sentry allocates on behalf of the hog until the
     * host cgroup's limit is reached, and the host's OOM killer then ends the sentry. So the whole
     * sandbox dies, never a host process outside its cgroup.
     */
    @Test
    void memoryPastTheLimitEndsTheSandboxNotTheHost() throws Exception {
        try (var sandbox = TestSandboxes.start(port, "base", 1, 128, 0)) {
            String container = TestSandboxes.containerOf(STATE, sandbox.id());
            assertThat(TestSandboxes.cgroupStats("memory", container, "memory.limit_in_bytes"))
                    .contains("=" + 128L * 1024 * 1024);
            // tail keeps the whole last line, and /dev/zero has no newline: 512 MiB wanted in a 128 MiB sandbox.
            long t0 = System.nanoTime();
            Exec hog = sandbox.exec("head -c 512m /dev/zero | tail -n 1 | wc -c", 60_000);
            System.out.printf(
                    "memory hog: exit %d after %d ms, stdout [%s] stderr [%s]; %s%n",
                    hog.exitCode(),
                    (System.nanoTime() - t0) / 1_000_000,
                    hog.stdout().strip(),
                    hog.stderr().strip(),
                    TestSandboxes.cgroupStats(
                            "memory",
                            container,
                            "memory.limit_in_bytes",
                            "memory.max_usage_in_bytes",
                            "memory.failcnt"));
            assertThat(hog.stdout().strip()).isNotEqualTo(String.valueOf(512 * 1024 * 1024)); // never got its 512 MiB
            assertThat(hog.exitCode()).isNotZero();
            // Docker reaps the dead container and its cgroup with it; runsc leaves the stopped one to the node
            String maxUsage = TestSandboxes.cgroupStats("memory", container, "memory.max_usage_in_bytes")
                    .replaceAll("\\D", "");
            if (!TestSandboxes.DOCKER || !maxUsage.isEmpty()) {
                if (!TestSandboxes.DOCKER) {
                    // The limit is what stopped it: the cgroup refused charges. (Under Docker the
                    // container's counter read 0 here although the peak reached the limit: not asserted.)
                    String failures = TestSandboxes.cgroupStats("memory", container, "memory.failcnt")
                            .replaceAll("\\D", "");
                    assertThat(Long.parseLong(failures)).isPositive();
                }
                // The peak may pass the limit by what the kernel force-charges for allocations that must
                // not fail (mm/memcontrol.c, "go over the limit temporarily by force charging it"): at
                // most a charge batch of 64 pages at a time per CPU. Seen here: one or two pages over.
                // 1 MiB bounds that on this machine and is far below the 384 MiB the hog wanted beyond
                // the limit.
                assertThat(Long.parseLong(maxUsage)).isLessThanOrEqualTo(128L * 1024 * 1024 + 1024 * 1024);
            }
            if (!TestSandboxes.DOCKER) {
                // the whole sandbox ends, not just the command; on ptrace the command's 137 comes a moment
                // before runsc records the sentry's death
                Awaitility.await()
                        .atMost(Duration.ofSeconds(5))
                        .untilAsserted(() -> assertThat(NodeAgentClient.runscState(STATE, sandbox.id()))
                                .isIn("stopped", ""));
            }
            // the node notices and stops it: no more usage samples, the workspace released
            Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                // Docker learns of the dead sentry a moment after the command's stream ended
                assertThat(NodeAgentClient.runscState(STATE, sandbox.id())).isIn("stopped", "");
                assertThat(sandbox.client().exec(sandbox.id(), "true", 1000).status())
                        .isEqualTo(404);
                assertThat(STATE.resolve("sandboxes").resolve(sandbox.id())).doesNotExist();
            });
            assertThat(NodeAgentClient.runscList(STATE)).doesNotContain(sandbox.id());
            // and tells the control plane why, so the sandbox ends there too
            String died = nodeEventOf(sandbox.id());
            assertThat(died).contains("\"type\":\"SandboxDiedOnNode\"");
            if (!TestSandboxes
                    .DOCKER) { // Docker reaps the container first; its OOMKilled flag is not always set for runsc's
                // sentry
                assertThat(died).contains("\"reason\":\"out_of_memory\"");
            }
            // the node agent, a host process, is unharmed and runs other sandboxes as before
            try (var other = TestSandboxes.start(port, "base", 1, 256, 0)) {
                assertThat(other.exec("echo fine", 10_000).stdout()).isEqualTo("fine\n");
            }
        }
    }

    /** The {@code node-events} record keyed by the sandbox, waited for up to 15 s. */
    private static String nodeEventOf(String sandboxId) {
        Properties props = new Properties();
        props.put("bootstrap.servers", TestInfrastructure.kafka());
        props.put("group.id", "containment-test-" + UUID.randomUUID());
        props.put("auto.offset.reset", "earliest");
        props.put("key.deserializer", StringDeserializer.class.getName());
        props.put("value.deserializer", StringDeserializer.class.getName());
        try (var consumer = new KafkaConsumer<String, String>(props)) {
            consumer.subscribe(List.of(Topics.NODE_EVENTS));
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(300))) {
                    if (sandboxId.equals(record.key())) {
                        return record.value();
                    }
                }
            }
        }
        return "";
    }

    @Test
    void filling_workspace_stops_at_its_size() throws Exception {
        try (var sandbox = TestSandboxes.start(port, "base", 1, 256, 32)) {
            Exec fill = sandbox.exec(
                    "dd if=/dev/zero of=/workspace/fill bs=1M count=100 2>&1; sync; wc -c < /workspace/fill", 60_000);
            long written = Long.parseLong(fill.stdout()
                    .strip()
                    .lines()
                    .reduce((a, b) -> b)
                    .orElseThrow()
                    .strip());
            System.out.printf(
                    "disk fill: %d bytes written into a 32 MiB workspace; dd said %s%n",
                    written,
                    fill.stdout()
                            .lines()
                            .filter(l -> l.contains("No space"))
                            .findFirst()
                            .orElse("?"));
            assertThat(fill.stdout()).contains("No space left on device");
            assertThat(written).isPositive().isLessThanOrEqualTo(32L * 1024 * 1024);
            assertThat(sandbox.exec("df -k /workspace | tail -1", 10_000).stdout())
                    .isNotBlank();
        }
    }

    @Test
    void aBusyLoopIsHeldToItsVcpu() throws Exception {
        try (var sandbox = TestSandboxes.start(port, "base", 1, 256, 0)) {
            String container = TestSandboxes.containerOf(STATE, sandbox.id());
            Path usage = Path.of("/sys/fs/cgroup/cpuacct/crownest", container, "cpuacct.usage");
            assertThat(usage).exists();
            Thread loops = Thread.ofVirtual().start(() -> {
                try {
                    // two busy loops: without a quota they would take both of this machine's cores
                    sandbox.exec(
                            "timeout 4 sh -c 'while :; do :; done' & timeout 4 sh -c 'while :; do :; done' & wait",
                            20_000);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(1000);
            long cpu0 = Long.parseLong(Files.readString(usage).strip());
            long wall0 = System.nanoTime();
            Thread.sleep(2000);
            long cpu1 = Long.parseLong(Files.readString(usage).strip());
            long wall1 = System.nanoTime();
            loops.join();
            double cores = (cpu1 - cpu0) / (double) (wall1 - wall0);
            System.out.printf(
                    "busy loops with cpu=1: %.2f cores used over %.1f s; %s%n",
                    cores,
                    (wall1 - wall0) / 1e9,
                    TestSandboxes.cgroupStats("cpu", container, "cpu.cfs_quota_us", "cpu.stat"));
            assertThat(cores).isGreaterThan(0.05).isLessThanOrEqualTo(1.15);
        }
    }
}
