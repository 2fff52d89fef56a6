package dev.crownest.kit.seal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvSealTest {
    private final EnvSeal seal = new EnvSeal("k".repeat(48));

    @Test
    void sealedValuesHoldNoPlaintextAndOpenBack() {
        Map<String, String> sealed = seal.seal(Map.of("API_TOKEN", "s3cr3t-value"));
        assertThat(sealed.get("API_TOKEN")).startsWith(EnvSeal.PREFIX).doesNotContain("s3cr3t");
        assertThat(seal.open(sealed)).containsEntry("API_TOKEN", "s3cr3t-value");
    }

    @Test
    void eachSealIsFreshSoEqualValuesDoNotShow() {
        assertThat(seal.seal("A", "same")).isNotEqualTo(seal.seal("A", "same"));
    }

    @Test
    void aValueMovedToAnotherNameOrAnotherKeyDoesNotOpen() {
        String sealed = seal.seal("A", "v");
        assertThatThrownBy(() -> seal.open("B", sealed))
                .isInstanceOf(EnvSeal.SealException.class)
                .hasMessageNotContaining("v=");
        assertThatThrownBy(() -> new EnvSeal("x".repeat(48)).open("A", sealed))
                .isInstanceOf(EnvSeal.SealException.class);
    }

    @Test
    void unsealedValuesOfOlderEventsPassThroughAndNullsStay() {
        assertThat(seal.open(Map.of("A", "plain"))).containsEntry("A", "plain");
        assertThat(seal.seal(null)).isNull();
    }

    @Test
    void aShortKeyIsRefused() {
        assertThatThrownBy(() -> new EnvSeal("short")).isInstanceOf(IllegalArgumentException.class);
    }
}
