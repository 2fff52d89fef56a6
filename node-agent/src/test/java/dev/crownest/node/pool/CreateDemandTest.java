package dev.crownest.node.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CreateDemandTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void thePeakIsTheMostCreatesWithinOneBurstOfTheWindow() {
        var demand = new CreateDemand(Duration.ofMinutes(5), Duration.ofSeconds(10));
        for (int i = 0; i < 10; i++) {
            demand.record("base", T0.plusMillis(30L * i)); // 10 back to back
        }
        for (int i = 0; i < 4; i++) {
            demand.record("base", T0.plusSeconds(60 + 20L * i)); // spaced: one per burst
        }
        assertThat(demand.peak("base", T0.plusSeconds(200))).isEqualTo(10);
        assertThat(demand.peak("python", T0.plusSeconds(200))).isZero();
    }

    @Test
    void demandOlderThanTheWindowNoLongerCounts() {
        var demand = new CreateDemand(Duration.ofMinutes(5), Duration.ofSeconds(10));
        for (int i = 0; i < 10; i++) {
            demand.record("base", T0.plusMillis(30L * i));
        }
        demand.record("base", T0.plusSeconds(200));
        assertThat(demand.peak("base", T0.plusSeconds(299))).isEqualTo(10);
        assertThat(demand.peak("base", T0.plusSeconds(301))).isEqualTo(1);
        assertThat(demand.peak("base", T0.plusSeconds(501))).isZero();
    }
}
