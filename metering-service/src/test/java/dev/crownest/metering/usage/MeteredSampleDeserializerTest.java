package dev.crownest.metering.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.QuotaEvent;
import dev.crownest.contracts.event.UsageSampled;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class MeteredSampleDeserializerTest {
    private final ObjectMapper json = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final MeteredSampleDeserializer deserializer = new MeteredSampleDeserializer();

    private byte[] asPublished(PlatformEvent event) throws Exception {
        return json.writerFor(PlatformEvent.class).writeValueAsBytes(event);
    }

    @Test
    void keepsWhatMeteringUsesOfAUsageSample() throws Exception {
        UsageSampled sample = new UsageSampled(
                UUID.randomUUID(),
                "t1",
                Instant.now(),
                1,
                "sbx_1",
                "prj_1",
                "node-1",
                1_800_000_123L,
                2,
                4096,
                0.5,
                7L);
        assertThat(deserializer.deserialize("usage-samples", asPublished(sample)))
                .isEqualTo(new MeteredSample("t1", "sbx_1", "prj_1", 1_800_000_123L, 2, 4096));
    }

    @Test
    void nodeSamplesKeepTheirNullTenantAndProject() throws Exception {
        UsageSampled sample =
                new UsageSampled(UUID.randomUUID(), null, Instant.now(), 1, "node-1", null, "node-1", 5, 1, 1, 0, 0);
        assertThat(deserializer.deserialize("usage-samples", asPublished(sample)))
                .isEqualTo(new MeteredSample(null, "node-1", null, 5, 1, 1));
    }

    @Test
    void otherEventsAreNotSamples() throws Exception {
        QuotaEvent other = new QuotaEvent.QuotaWarningReached(
                UUID.randomUUID(),
                "t1",
                Instant.now(),
                1,
                null,
                "amountUsd",
                BigDecimal.ONE,
                BigDecimal.TEN,
                "2026-11");
        assertThat(deserializer.deserialize("usage-samples", asPublished(other)))
                .isNull();
    }

    @Test
    void refusesWhatIsNotASample() {
        assertThatThrownBy(() -> deserializer.deserialize("usage-samples", "[1]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(
                        () -> deserializer.deserialize("usage-samples", "{\"type\":".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> deserializer.deserialize(
                        "usage-samples",
                        "{\"type\":\"UsageSampled\",\"tenantId\":\"t\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class);
    }
}
