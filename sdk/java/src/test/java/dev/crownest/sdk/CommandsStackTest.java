package dev.crownest.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Commands against a real stack: blocking, streamed, background, reattach, artifacts; and through a
 * fault-injecting proxy: 503/429 retried after Retry-After, a lost streamed answer followed, never run
 * twice.
 */
class CommandsStackTest extends OnStack {

    @Test
    void aBlockingRunAnswersExitCodeOutputAndDuration() {
        CommandResult r = sandbox.commands().run("echo hello; echo oops >&2; exit 3");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stdout()).isEqualTo("hello\n");
        assertThat(r.stderr()).isEqualTo("oops\n");
        assertThat(r.durationMs()).isNotNegative();
        assertThat(r.id()).startsWith("cmd_");
        assertThat(r.artifacts()).isEmpty();
    }

    @Test
    void cwdEnvAndStdinReachTheCommand() {
        CommandResult r = sandbox.commands()
                .run(
                        "pwd; echo $GREETING; cat",
                        new RunOptions().cwd("/tmp").env("GREETING", "hi").stdin("in"));
        assertThat(r.stdout()).isEqualTo("/tmp\nhi\nin");
    }

    @Test
    void callbacksStreamTheOutputAsItComes() {
        List<String> out = new CopyOnWriteArrayList<>();
        List<String> err = new CopyOnWriteArrayList<>();
        List<String> started = new CopyOnWriteArrayList<>();
        CommandResult r = sandbox.commands()
                .run(
                        "for i in 1 2 3; do echo $i; sleep 0.2; done; echo e >&2",
                        new RunOptions().onStdout(out::add).onStderr(err::add).onStart(started::add));
        assertThat(String.join("", out)).isEqualTo("1\n2\n3\n");
        assertThat(out).as("chunks as they come").hasSizeGreaterThanOrEqualTo(2);
        assertThat(String.join("", err)).isEqualTo("e\n");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEqualTo("1\n2\n3\n");
        assertThat(started).containsExactly(r.id());
    }

    @Test
    void collectMakesArtifactsThatDownloadGives() {
        CommandResult r = sandbox.commands().run("printf abc > out.txt", new RunOptions().collect("out.txt"));
        assertThat(r.artifacts()).hasSize(1);
        assertThat(r.collectErrors()).isEmpty();
        Artifact a = r.artifacts().get(0);
        assertThat(sandbox.artifacts().list().data()).extracting(Artifact::id).contains(a.id());
        assertThat(sandbox.artifacts().download(a.id())).containsExactly('a', 'b', 'c');
        assertThat(sandbox.artifacts().downloadText(a.id())).isEqualTo("abc");
    }

    @Test
    void backgroundRunsAnswerAHandleToWaitForOrKill() {
        CommandHandle quick = sandbox.commands().runBackground("echo bg");
        assertThat(quick.id()).startsWith("cmd_");
        assertThat(quick.waitFor().stdout()).isEqualTo("bg\n");
        CommandHandle slow = sandbox.commands().runBackground("sleep 60");
        slow.kill();
        CommandResult r = slow.waitFor();
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.durationMs()).isLessThan(30_000);
    }

    @Test
    void listGetAndCancel() {
        CommandResult r = sandbox.commands().run("echo listed");
        assertThat(sandbox.commands().list().data())
                .extracting(CommandRecord::id)
                .contains(r.id());
        assertThat(sandbox.commands().get(r.id()).stdout()).isEqualTo("listed\n");
        CommandHandle slow = sandbox.commands().runBackground("sleep 60");
        sandbox.commands().cancel(slow.id());
        assertThat(slow.waitFor().exitCode()).isNotZero();
    }

    @Test
    void connectGivesAFinishedCommandsOutput() {
        CommandResult done = sandbox.commands().run("echo one; echo two");
        List<String> seen = new CopyOnWriteArrayList<>();
        CommandResult r = sandbox.commands().connect(done.id(), new RunOptions().onStdout(seen::add));
        assertThat(String.join("", seen)).isEqualTo("one\ntwo\n");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEqualTo("one\ntwo\n");
    }

    @Test
    void connectFollowsARunningCommand() {
        assumeTrue(
                stack.hasRoute(client, "GET", "/v1/sandboxes/{id}/commands/{cid}/stream"),
                "GET /v1/sandboxes/{id}/commands/{cid}/stream is not on this stack yet (issue 12 item 6)");
        CommandHandle bg = sandbox.commands().runBackground("for i in 1 2 3; do echo $i; sleep 0.3; done");
        List<String> live = new CopyOnWriteArrayList<>();
        CommandResult followed = sandbox.commands().connect(bg.id(), new RunOptions().onStdout(live::add));
        assertThat(String.join("", live)).isEqualTo("1\n2\n3\n");
        assertThat(followed.exitCode()).isZero();
    }

    @Test
    void aStreamedRunWhoseAnswerWasLostIsFollowedNeverRunTwice() throws Exception {
        // The proxy passes the first streamed POST to the gateway (the command starts) and drops the
        // connection once the answer began; the SDK retries with the same Idempotency-Key, the gateway
        // answers 409 idempotent_stream_not_replayable, and the SDK follows the command that runs already.
        FaultyProxy.Fault drop = FaultyProxy.Fault.drop("POST", "/commands$", 1);
        try (FaultyProxy proxy = new FaultyProxy(stack.url, drop)) {
            CrowNest viaProxy =
                    stack.client(proxy.url()).backoff(Duration.ofMillis(50)).build();
            String tag = "once-" + System.nanoTime();
            String cmd = "sleep 1; echo " + tag;
            List<String> seen = new CopyOnWriteArrayList<>();
            CommandResult r =
                    viaProxy.sandboxes().get(sandbox.id()).commands().run(cmd, new RunOptions().onStdout(seen::add));
            assertThat(drop.seen.get()).as("the first answer was dropped").isEqualTo(1);
            assertThat(r.exitCode()).isZero();
            assertThat(r.stdout()).isEqualTo(tag + "\n");
            assertThat(String.join("", seen)).isEqualTo(r.stdout());
            assertThat(sandbox.commands().list(null, 100).data())
                    .filteredOn(c -> c.cmd().equals(cmd))
                    .as("one run, not two")
                    .hasSize(1);
        }
    }

    @Test
    void a503And429AreRetriedAfterRetryAfterWithTheSameKeyRunningOnce() throws Exception {
        FaultyProxy.Fault unavailable = FaultyProxy.Fault.status("POST", "/commands$", 503, 1, 1);
        FaultyProxy.Fault limited = FaultyProxy.Fault.status("POST", "/commands$", 429, 1, 1);
        try (FaultyProxy proxy = new FaultyProxy(stack.url, unavailable, limited)) {
            CrowNest viaProxy = stack.client(proxy.url()).build();
            String cmd = "echo retried-" + System.nanoTime();
            long started = System.nanoTime();
            CommandResult r = viaProxy.sandboxes().get(sandbox.id()).commands().run(cmd);
            assertThat(r.stdout()).startsWith("retried-");
            assertThat(unavailable.seen.get()).isEqualTo(1);
            assertThat(limited.seen.get()).isEqualTo(1);
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .as("waited Retry-After twice")
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
            assertThat(sandbox.commands().list(null, 100).data())
                    .filteredOn(c -> c.cmd().equals(cmd))
                    .hasSize(1);

            proxy.faults.add(FaultyProxy.Fault.status("GET", "/v1/sandboxes/", 503, 1, 1));
            CrowNest noRetries = stack.client(proxy.url()).maxRetries(0).build();
            UnavailableException refused = catchThrowableOfType(
                    UnavailableException.class, () -> noRetries.sandboxes().get(sandbox.id()));
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.code()).isEqualTo("no_capacity");
            assertThat(refused.requestId()).isEqualTo("req_proxy");
            assertThat(refused.retryAfter()).contains(Duration.ofSeconds(1));
        }
    }

    @Test
    void aDroppedConnectionOfABlockingRunIsRetriedWithItsKeyAndRunsOnce() throws Exception {
        // The first blocking POST reaches the gateway and its answer is lost; the retry carries the same
        // Idempotency-Key, so the gateway answers the first run's record (or waits for it), never a second run.
        FaultyProxy.Fault drop = FaultyProxy.Fault.drop("POST", "/commands$", 1);
        try (FaultyProxy proxy = new FaultyProxy(stack.url, drop)) {
            CrowNest viaProxy =
                    stack.client(proxy.url()).backoff(Duration.ofMillis(200)).build();
            String tag = "blocking-once-" + System.nanoTime();
            String cmd = "echo " + tag + " >> /tmp/runs.log; sleep 1; cat /tmp/runs.log | grep -c " + tag;
            CommandResult r = viaProxy.sandboxes().get(sandbox.id()).commands().run(cmd);
            assertThat(drop.seen.get()).isEqualTo(1);
            assertThat(r.stdout().trim()).as("the command ran once").isEqualTo("1");
        }
    }
}
