package dev.crownest.metering.usage;

import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.Topics;
import dev.crownest.contracts.event.UsageRated;
import dev.crownest.contracts.event.UsageSampled;
import dev.crownest.metering.pricing.PricingCatalog;
import dev.crownest.metering.pricing.PricingVersion;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Rates usage samples a batch at a time. Each second is inserted once (primary key on sandbox and
 * second, ON CONFLICT DO NOTHING), so a batch redelivered after a crash adds nothing: offsets are
 * committed after the transaction, and the insert makes the replay harmless.
 */
@Component
class UsageMeter {
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final PricingCatalog pricing;
    private final KafkaTemplate<String, PlatformEvent> kafka;
    private final Clock clock;

    UsageMeter(JdbcTemplate jdbc, TransactionTemplate tx, PricingCatalog pricing, KafkaTemplate<String, PlatformEvent> kafka, Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.pricing = pricing;
        this.kafka = kafka;
        this.clock = clock;
    }

    @KafkaListener(topics = Topics.USAGE_SAMPLES)
    void on(List<PlatformEvent> batch) {
        List<UsageRated> rated = tx.execute(status -> {
            List<UsageRated> inserted = new ArrayList<>();
            for (PlatformEvent event : batch) {
                if (event instanceof UsageSampled sample && sample.tenantId() != null) {
                    PricingVersion version = pricing.forTenant(sample.tenantId());
                    var units = version.computeUnitSeconds(sample.vcpu(), sample.memoryMb());
                    var amount = version.amountUsd(units);
                    int rows = jdbc.update("""
                            INSERT INTO usage_second (sandbox_id, second, tenant_id, project_id, vcpu, memory_mb,
                                                      compute_unit_seconds, pricing_version, amount_usd, event_id)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
                            sample.sandboxId(), sample.second(), sample.tenantId(), sample.projectId(), sample.vcpu(),
                            sample.memoryMb(), units, version.version(), amount, sample.eventId());
                    if (rows == 1) {
                        UUID ratedId = UUID.nameUUIDFromBytes(("rated:" + sample.eventId()).getBytes(StandardCharsets.UTF_8));
                        inserted.add(new UsageRated(ratedId, sample.tenantId(), clock.instant(), UsageRated.SCHEMA_VERSION, sample.sandboxId(),
                                sample.projectId(), sample.second(), sample.second(), 1, units, version.version(), amount));
                    }
                }
            }
            return inserted;
        });
        // After commit: a crash here re-publishes nothing (the rows exist), so billing may miss a
        // rated second it can rebuild from usage_second; its ids are deterministic for dedupe.
        rated.forEach(r -> kafka.send(Topics.RATED_USAGE, r.tenantId(), r));
    }
}
