package dev.crownest.node.facts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.crownest.contracts.event.CommandFact;
import dev.crownest.node.NodeProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FactOutboxTest {
    private static final ObjectMapper JSON =
            new ObjectMapper().findAndRegisterModules().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @TempDir
    Path state;

    private FactOutbox outbox() throws Exception {
        return new FactOutbox(new NodeProperties("node-1", state, state, "runsc", "systrap"), JSON, Clock.systemUTC());
    }

    private static CommandFact.Run run(String id) {
        return new CommandFact.Run(
                id, "sbx_1", "t1", null, "key_1", "true", "/workspace", Map.of("A", "sealed:v1:x"), 1000, null);
    }

    @Test
    void factsWaitInOrderUntilRelayedAndAnExitClearsItsCommand() throws Exception {
        FactOutbox outbox = outbox();
        outbox.accepted(run("cmd_a"));
        outbox.exited(
                outbox.exit(run("cmd_a"), 0, "hi\n", "", 3, 0, false, false, false, Instant.now(), Instant.now()));
        var pending = outbox.pending();
        assertThat(pending)
                .extracting(p -> p.fact().getClass().getSimpleName())
                .containsExactly("CommandAccepted", "CommandExited");
        outbox.relayed(pending.get(0));
        assertThat(outbox.pending()).hasSize(1);
        outbox.relayed(outbox.pending().get(0));
        assertThat(outbox.pending()).isEmpty();
        try (var files = Files.list(state.resolve("command-facts"))) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aCommandAcceptedButNeverExitedBeforeARestartGetsItsLostExitOnce() throws Exception {
        FactOutbox before = outbox();
        before.accepted(run("cmd_b"));
        before.relayed(before.pending().get(0)); // sent, the node agent then dies while it runs
        FactOutbox after = outbox();
        var pending = after.pending();
        assertThat(pending).hasSize(1);
        CommandFact.CommandExited lost =
                (CommandFact.CommandExited) pending.get(0).fact();
        assertThat(lost.exitCode()).isEqualTo(FactOutbox.LOST_EXIT);
        assertThat(lost.run().commandId()).isEqualTo("cmd_b");
        // a second restart before the relay ran adds nothing
        assertThat(outbox().pending()).hasSize(1);
    }
}
