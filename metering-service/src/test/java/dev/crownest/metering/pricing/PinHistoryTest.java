package dev.crownest.metering.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PinHistoryTest {
    @Test
    void aSecondIsRatedAtTheLatestPinEffectiveAtOrBeforeIt() {
        PinHistory pins = new PinHistory(new long[] {0, 1_000, 2_000}, new String[] {"a", "b", "c"});
        assertThat(pins.versionAt(0)).isEqualTo("a");
        assertThat(pins.versionAt(999)).isEqualTo("a");
        assertThat(pins.versionAt(1_000)).isEqualTo("b");
        assertThat(pins.versionAt(1_999)).isEqualTo("b");
        assertThat(pins.versionAt(2_000)).isEqualTo("c");
        assertThat(pins.versionAt(Long.MAX_VALUE)).isEqualTo("c");
    }
}
