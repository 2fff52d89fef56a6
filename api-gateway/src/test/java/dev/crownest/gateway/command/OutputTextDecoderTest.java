package dev.crownest.gateway.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class OutputTextDecoderTest {

    @Test
    void keepsACharacterSplitAcrossChunksWhole() {
        byte[] bytes = "a€b".getBytes(StandardCharsets.UTF_8); // € is three bytes
        OutputTextDecoder decoder = new OutputTextDecoder();
        assertThat(decoder.decode(Arrays.copyOfRange(bytes, 0, 2))).isEqualTo("a");
        assertThat(decoder.decode(Arrays.copyOfRange(bytes, 2, 3))).isEmpty();
        assertThat(decoder.decode(Arrays.copyOfRange(bytes, 3, bytes.length))).isEqualTo("€b");
        assertThat(decoder.finish()).isEmpty();
    }

    @Test
    void invalidAndUnfinishedBytesBecomeReplacementCharacters() {
        OutputTextDecoder decoder = new OutputTextDecoder();
        assertThat(decoder.decode(new byte[] {'x', (byte) 0xff, 'y', (byte) 0xe2}))
                .isEqualTo("x\uFFFDy");
        assertThat(decoder.finish()).isEqualTo("\uFFFD");
    }

    @Test
    void keepsAFourByteCharacterSplitAnywhereWhole() {
        byte[] bytes = "a😀b".getBytes(StandardCharsets.UTF_8); // the emoji is four bytes
        for (int cut = 1; cut < bytes.length; cut++) {
            OutputTextDecoder decoder = new OutputTextDecoder();
            String text = decoder.decode(Arrays.copyOfRange(bytes, 0, cut))
                    + decoder.decode(Arrays.copyOfRange(bytes, cut, bytes.length))
                    + decoder.finish();
            assertThat(text).as("cut at %d", cut).isEqualTo("a😀b");
        }
    }
}
