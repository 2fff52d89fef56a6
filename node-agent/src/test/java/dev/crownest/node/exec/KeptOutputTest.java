package dev.crownest.node.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crownest.nodeclient.protocol.ExecChunk;
import dev.crownest.nodeclient.protocol.OutputGap;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeptOutputTest {

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String render(List<Object> items) {
        StringBuilder out = new StringBuilder();
        for (Object item : items) {
            switch (item) {
                case KeptOutput.Piece piece ->
                    out.append(piece.stream(), 3, 6)
                            .append('@')
                            .append(piece.offset())
                            .append(':')
                            .append(new String(piece.data(), StandardCharsets.UTF_8))
                            .append(' ');
                case OutputGap gap ->
                    out.append("gap ")
                            .append(gap.stream())
                            .append(' ')
                            .append(gap.from())
                            .append('-')
                            .append(gap.to())
                            .append(' ');
                case ExecChunk exit -> out.append("exit ").append(exit.exitCode());
                default -> throw new IllegalStateException();
            }
        }
        return out.toString().trim();
    }

    @Test
    void replaysBothStreamsInTheOrderWrittenFromTheReadersOffsets() {
        KeptOutput kept = new KeptOutput(100);
        kept.append("stdout", bytes("abc"));
        kept.append("stderr", bytes("E1"));
        kept.append("stdout", bytes("def"));
        assertThat(render(kept.since(0, 0))).isEqualTo("out@0:abc err@0:E1 out@3:def");
        // a reader in the middle of a piece gets its rest
        assertThat(render(kept.since(1, 2))).isEqualTo("out@1:bc out@3:def");
        assertThat(render(kept.since(6, 2))).isEmpty();
        kept.exit(new ExecChunk("exit", null, 3, false, null, null, null));
        assertThat(render(kept.since(6, 2))).isEqualTo("exit 3");
    }

    @Test
    void keepsTheLastCapBytesOfEachStreamAndNamesWhatWasDropped() {
        KeptOutput kept = new KeptOutput(4);
        kept.append("stdout", bytes("aaaa"));
        kept.append("stdout", bytes("bbbb"));
        kept.append("stdout", bytes("cc"));
        kept.append("stderr", bytes("x"));
        // "aaaa" went: "bbbb" + "cc" hold at least the last 4 bytes
        assertThat(render(kept.since(0, 0))).isEqualTo("gap stdout 0-4 out@4:bbbb out@8:cc err@0:x");
        assertThat(render(kept.since(2, 1))).isEqualTo("gap stdout 2-4 out@4:bbbb out@8:cc");
        assertThat(render(kept.since(9, 1))).isEqualTo("out@9:c");
    }
}
