package dev.crownest.contracts.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CappedOutputTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void joinsAMultiByteCharacterSplitAcrossChunks() {
        byte[] euro = utf8("a€b");
        CappedOutput out = new CappedOutput(1024);
        out.add(Arrays.copyOfRange(euro, 0, 2));
        out.add(Arrays.copyOfRange(euro, 2, euro.length));
        assertThat(out.text()).isEqualTo("a€b");
        assertThat(out.truncated()).isFalse();
    }

    @Test
    void exactlyAtTheCapIsNotTruncated() {
        CappedOutput out = new CappedOutput(5);
        out.add(utf8("hello"));
        assertThat(out.text()).isEqualTo("hello");
        assertThat(out.truncated()).isFalse();
    }

    @Test
    void pastTheCapKeepsTheFirstBytesAndSaysTruncated() {
        CappedOutput out = new CappedOutput(5);
        out.add(utf8("hel"));
        out.add(utf8("lo world"));
        out.add(utf8("more"));
        assertThat(out.text()).isEqualTo("hello");
        assertThat(out.truncated()).isTrue();
    }

    @Test
    void aCharacterCutByTheCapIsDroppedNotGarbled() {
        CappedOutput out = new CappedOutput(3);
        out.add(utf8("ab€"));
        assertThat(out.text()).isEqualTo("ab");
        assertThat(out.truncated()).isTrue();
    }
}
