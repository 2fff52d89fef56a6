package dev.crownest.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CentsTest {

    @Test
    void aLineRoundsHalfEvenOnceSoHalfCentsDoNotDriftUp() {
        assertThat(Cents.ofLine(new BigDecimal("0.0050000000"))).isEqualByComparingTo("0.00");
        assertThat(Cents.ofLine(new BigDecimal("0.0150000000"))).isEqualByComparingTo("0.02");
        assertThat(Cents.ofLine(new BigDecimal("0.0250000001"))).isEqualByComparingTo("0.03");
        assertThat(Cents.ofLine(new BigDecimal("3.5999996400"))).isEqualByComparingTo("3.60");
        // a hundred lines, half of 1.5 cents and half of 2.5: rated $2.00 in all; half-even charges $2.00,
        // half-up would charge $2.50
        BigDecimal low = new BigDecimal("0.0150000000");
        BigDecimal high = new BigDecimal("0.0250000000");
        BigDecimal charged = IntStream.range(0, 100)
                .mapToObj(i -> Cents.ofLine(i % 2 == 0 ? low : high))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(charged).isEqualByComparingTo("2.00");
    }

    @Test
    void creditIsAppliedRoundedDownAndStripeGetsTheLinesCents() {
        assertThat(Cents.ofCredit(new BigDecimal("6.4099999999"))).isEqualByComparingTo("6.40");
        assertThat(Cents.count(new BigDecimal("8.3999991600"))).isEqualTo(840);
        assertThat(Cents.count(new BigDecimal("0.1250000000"))).isEqualTo(12);
    }
}
