package dev.crownest.worker.command;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CoalescedOutputTest {

    private final List<String> records = new ArrayList<>();
    private final CoalescedOutput output = new CoalescedOutput(
            (stream, data) -> records.add(stream + ":" + new String(data, StandardCharsets.US_ASCII)), 8);

    @Test
    void consecutiveChunksOfOneStreamBecomeOneRecordOnFlush() {
        output.add("stdout", bytes("ab"), 1);
        output.add("stdout", bytes("cd"), 2);
        assertThat(records).isEmpty();
        assertThat(output.pendingSince()).isEqualTo(1);

        output.flush();
        assertThat(records).containsExactly("stdout:abcd");
        assertThat(output.isEmpty()).isTrue();
    }

    @Test
    void anotherStreamPublishesWhatWasPendingFirstSoTheOrderHolds() {
        output.add("stdout", bytes("ab"), 1);
        output.add("stderr", bytes("x"), 2);
        output.add("stdout", bytes("cd"), 3);
        output.flush();

        assertThat(records).containsExactly("stdout:ab", "stderr:x", "stdout:cd");
    }

    @Test
    void recordsNeverExceedTheMaximumAndNothingIsLost() {
        output.add("stdout", bytes("0123456789abcdefghij"), 1);
        output.flush();

        assertThat(records).containsExactly("stdout:01234567", "stdout:89abcdef", "stdout:ghij");
    }

    @Test
    void emptyChunksAndEmptyFlushesPublishNothing() {
        output.add("stdout", new byte[0], 1);
        output.flush();
        output.flush();

        assertThat(records).isEmpty();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
