package dev.crownest.metering.usage;

import dev.crownest.contracts.event.Topics;
import dev.crownest.metering.offset.StoredOffsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    private final SecondsMeter seconds;
    private final StoredOffsets offsets;
    private final TransactionTemplate tx;

    UsageMeter(SecondsMeter seconds, StoredOffsets offsets, TransactionTemplate tx) {
        this.seconds = seconds;
        this.offsets = offsets;
        this.tx = tx;
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
            seconds.meter(samples, Source.NODE);
            offsets.save(CONSUMER, records);
        });
    }
}
