package dev.crownest.metering.usage;

import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.QuotaEvent;
import dev.crownest.contracts.event.Topics;
import dev.crownest.contracts.event.UsageRated;
import dev.crownest.kit.outbox.EventOutbox;
import dev.crownest.metering.quota.BucketSpend;
import dev.crownest.metering.span.MeteredSpan;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Meters sandbox-seconds in the caller's transaction, whoever saw them (the node's samples,
 * {@link UsageMeter}; a closed running interval, {@link RunningIntervals}): the seconds not metered
 * before are stored and priced, rated for billing and counted against the buckets (both through the
 * outbox). A second already metered adds nothing, so the two sources never double one.
 */
@Component
class SecondsMeter {
    private final UsageHours seconds;
    private final BucketSpend buckets;
    private final EventOutbox outbox;
    private final Clock clock;

    SecondsMeter(UsageHours seconds, BucketSpend buckets, EventOutbox outbox, Clock clock) {
        this.seconds = seconds;
        this.buckets = buckets;
        this.outbox = outbox;
        this.clock = clock;
    }

    void meter(List<MeteredSample> samples, Source source) {
        List<MeteredSpan> metered = samples.isEmpty() ? List.of() : seconds.insert(samples, source);
        outbox.stage(Topics.RATED_USAGE, rate(metered), PlatformEvent::tenantId);
        List<QuotaEvent> quota = buckets.advance(metered);
        outbox.stage(Topics.QUOTA_EVENTS, quota, PlatformEvent::tenantId);
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
