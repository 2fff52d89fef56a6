package dev.crownest.metering.usage;

import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.QuotaEvent;
import dev.crownest.contracts.event.Topics;
import dev.crownest.contracts.event.UsageRated;
import dev.crownest.kit.outbox.EventOutbox;
import dev.crownest.metering.offset.StoredOffsets;
import dev.crownest.metering.quota.BucketSpend;
import dev.crownest.metering.span.MeteredSpan;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Meters usage samples a batch at a time, exactly once: the new seconds, the rated usage for
 * billing and any quota events (outbox), the buckets' spend, and the batch's Kafka position are
 * written in one PostgreSQL transaction. On (re)assignment the consumer seeks to the stored
 * position, so a crash at any point neither loses nor doubles a second; the primary key on
 * (sandbox, second) makes even a replay from offset zero add nothing.
 */
@Component
class UsageMeter implements ConsumerSeekAware {
    static final String CONSUMER = "usage-meter";

    private final UsageHours seconds;
    private final BucketSpend buckets;
    private final EventOutbox outbox;
    private final StoredOffsets offsets;
    private final TransactionTemplate tx;
    private final Clock clock;

    UsageMeter(
            UsageHours seconds,
            BucketSpend buckets,
            EventOutbox outbox,
            StoredOffsets offsets,
            TransactionTemplate tx,
            Clock clock) {
        this.seconds = seconds;
        this.buckets = buckets;
        this.outbox = outbox;
        this.offsets = offsets;
        this.tx = tx;
        this.clock = clock;
    }

    @Override
    public void onPartitionsAssigned(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
        offsets.seek(CONSUMER, assignments, callback);
    }

    // Samples are read into the few fields metering uses (MeteredSampleDeserializer), not whole events.
    @KafkaListener(
            id = CONSUMER,
            idIsGroup = false,
            topics = Topics.USAGE_SAMPLES,
            properties =
                    "spring.deserializer.value.delegate.class=dev.crownest.metering.usage.MeteredSampleDeserializer")
    void on(List<ConsumerRecord<String, MeteredSample>> records) {
        List<MeteredSample> samples = new ArrayList<>(records.size());
        for (ConsumerRecord<String, MeteredSample> record : records) {
            // Undecodable records and other events (value null) and node-level samples are skipped, but
            // their offset still advances.
            if (record.value() instanceof MeteredSample sample && sample.tenantId() != null) {
                samples.add(sample);
            }
        }
        tx.executeWithoutResult(status -> {
            List<MeteredSpan> metered = samples.isEmpty() ? List.of() : seconds.insert(samples);
            outbox.stage(Topics.RATED_USAGE, rate(metered), PlatformEvent::tenantId);
            List<QuotaEvent> quota = buckets.advance(metered);
            outbox.stage(Topics.QUOTA_EVENTS, quota, PlatformEvent::tenantId);
            offsets.save(CONSUMER, records);
        });
    }

    /** One rated event per sandbox, pricing version and period of the batch. */
    private List<UsageRated> rate(List<MeteredSpan> metered) {
        return metered.stream()
                .map(span -> new UsageRated(
                        UUID.randomUUID(),
                        span.tenantId(),
                        clock.instant(),
                        UsageRated.SCHEMA_VERSION,
                        span.sandboxId(),
                        span.projectId(),
                        span.fromSecond(),
                        span.toSecond(),
                        span.seconds(),
                        span.computeUnitSeconds(),
                        span.pricingVersion(),
                        span.amountUsd()))
                .toList();
    }
}
