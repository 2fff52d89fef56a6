package dev.crownest.node.egress;

import dev.crownest.contracts.event.EgressDenied;
import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.Topics;
import dev.crownest.contracts.text.TextRules;
import dev.crownest.node.NodeProperties;
import dev.crownest.node.network.DeniedEgress;
import dev.crownest.node.sandbox.LocalSandbox;
import dev.crownest.node.sandbox.NodeSandboxes;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Counts the egress proxy's refusals per (sandbox, host, port, reason) and publishes each count once
 * per window as one {@link EgressDenied}, so a sandbox that retries in a loop costs one event per
 * destination per window, not one per attempt. A sandbox gets at most {@value #MAX_DESTINATIONS}
 * destinations per window; further ones are counted under host {@code *}. The whole node holds at most
 * {@value #MAX_TALLIES} tallies; past that a denial is only logged.
 */
@Component
class EgressDenialReports implements DeniedEgress {
    private static final Logger log = LoggerFactory.getLogger(EgressDenialReports.class);
    static final int MAX_DESTINATIONS = 20;
    static final int MAX_TALLIES = 10_000;
    private static final int MAX_HOST_CHARS = 253; // the longest DNS name

    /** One destination's refusals in the current window. */
    record Destination(String sandboxId, String host, int port, String reason) {}

    private static final class Tally {
        final String tenantId;
        final String projectId;
        final Instant firstAt;
        final AtomicLong count = new AtomicLong();
        volatile Instant lastAt;

        Tally(String tenantId, String projectId, Instant at) {
            this.tenantId = tenantId;
            this.projectId = projectId;
            this.firstAt = at;
            this.lastAt = at;
        }
    }

    private final ObjectProvider<NodeSandboxes> sandboxes; // lazily: the sandboxes' networks report here
    private final KafkaTemplate<String, PlatformEvent> kafka;
    private final NodeProperties node;
    private final Clock clock;
    private volatile Map<Destination, Tally> window = new ConcurrentHashMap<>();

    EgressDenialReports(
            ObjectProvider<NodeSandboxes> sandboxes,
            KafkaTemplate<String, PlatformEvent> kafka,
            NodeProperties node,
            Clock clock) {
        this.sandboxes = sandboxes;
        this.kafka = kafka;
        this.node = node;
        this.clock = clock;
    }

    @Override
    public void denied(String sandboxId, String host, int port, String reason) {
        Map<Destination, Tally> current = window;
        Destination destination = new Destination(sandboxId, printable(host), port, reason);
        if (!current.containsKey(destination)) {
            long ofSandbox = current.keySet().stream()
                    .filter(d -> d.sandboxId().equals(sandboxId))
                    .count();
            if (ofSandbox >= MAX_DESTINATIONS) {
                destination = new Destination(sandboxId, "*", 0, reason);
            }
            if (current.size() >= MAX_TALLIES && !current.containsKey(destination)) {
                return; // the proxy has logged it; the node keeps its memory
            }
        }
        Instant now = clock.instant();
        Tally tally = current.computeIfAbsent(destination, d -> newTally(sandboxId, now));
        tally.count.incrementAndGet();
        tally.lastAt = now;
    }

    /** Publishes the window's counts and starts a new window. */
    @Scheduled(fixedDelayString = "${crownest.node.network.egress-report-interval:5s}")
    void publish() {
        Map<Destination, Tally> done = window;
        window = new ConcurrentHashMap<>();
        done.forEach((destination, tally) -> {
            if (tally.tenantId == null) {
                return; // a sandbox this node no longer knows: nobody to tell
            }
            kafka.send(
                    Topics.EGRESS_EVENTS,
                    destination.sandboxId(),
                    new EgressDenied(
                            UUID.randomUUID(),
                            tally.tenantId,
                            clock.instant(),
                            1,
                            destination.sandboxId(),
                            tally.projectId,
                            node.id(),
                            destination.host(),
                            destination.port(),
                            destination.reason(),
                            tally.count.get(),
                            tally.firstAt,
                            tally.lastAt));
        });
        if (!done.isEmpty()) {
            log.info("egress denials reported: {} destinations", done.size());
        }
    }

    private Tally newTally(String sandboxId, Instant now) {
        var spec = sandboxes.getObject().find(sandboxId).map(LocalSandbox::spec);
        return new Tally(
                spec.map(s -> s.tenantId()).orElse(null),
                spec.map(s -> s.projectId()).orElse(null),
                now);
    }

    /**
     * The host as the sandbox wrote it, made safe to store: control characters (a NUL cannot be stored)
     * become {@code ?}, and it is cut to the longest DNS name.
     */
    static String printable(String host) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < host.length() && out.length() < MAX_HOST_CHARS; i++) {
            char c = host.charAt(i);
            out.append(TextRules.firstRefused(String.valueOf(c), false) >= 0 ? '?' : c);
        }
        return out.toString();
    }
}
