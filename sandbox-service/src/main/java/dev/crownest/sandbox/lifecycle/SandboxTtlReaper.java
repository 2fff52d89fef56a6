package dev.crownest.sandbox.lifecycle;

import dev.crownest.contracts.event.SandboxEvent;
import dev.crownest.sandbox.eventstore.AxonStorageConfiguration;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Ends sandboxes whose TTL ran out, and paused sandboxes past the retention (killed, reason
 * {@code retention}: a paused sandbox's TTL stands still). It reads deadlines from the database, not
 * from memory, so a restart of this service never lets a sandbox outlive its TTL by more than one sweep.
 *
 * <p>A tick comes every {@code reaper-interval-ms} (200 ms), but sweeps only when there may be work:
 * the earliest deadline read at the last sweep has come, a sandbox event committed since (a create,
 * pause or TTL change moves deadlines), or {@code reaper-idle-interval-ms} passed (changes committed by
 * another instance). An idle stack then queries every few seconds instead of ten times a second, and a
 * deadline is still met within one tick.
 */
@Component
@ProcessingGroup(AxonStorageConfiguration.PROJECTIONS)
class SandboxTtlReaper {
    private static final Logger log = LoggerFactory.getLogger(SandboxTtlReaper.class);
    private static final int BATCH = 500;
    static final String RETENTION_ACTOR = "system:retention";

    private final SandboxViews views;
    private final CommandGateway commands;
    private final Clock clock;
    private final SandboxProperties properties;
    private final Duration idleInterval;
    private final AtomicBoolean changed = new AtomicBoolean(true);
    private volatile Instant nextSweep = Instant.MIN;

    SandboxTtlReaper(
            SandboxViews views,
            CommandGateway commands,
            Clock clock,
            SandboxProperties properties,
            @Value("${crownest.sandbox.reaper-idle-interval-ms:5000}") long idleIntervalMs) {
        this.views = views;
        this.commands = commands;
        this.clock = clock;
        this.properties = properties;
        this.idleInterval = Duration.ofMillis(idleIntervalMs);
    }

    /** Any sandbox event may move a deadline: the next tick sweeps, once the event is committed. */
    @EventHandler
    void on(SandboxEvent event) {
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().root().afterCommit(u -> changed.set(true));
        } else {
            changed.set(true);
        }
    }

    @Scheduled(fixedDelayString = "${crownest.sandbox.reaper-interval-ms:200}")
    void tick() {
        Instant now = clock.instant();
        if (changed.getAndSet(false) || !now.isBefore(nextSweep)) {
            expireOverdue();
            Instant idleSweep = now.plus(idleInterval);
            nextSweep = views.nextDeadline(properties.pausedRetention())
                    .filter(deadline -> deadline.isBefore(idleSweep))
                    .orElse(idleSweep);
        }
    }

    void expireOverdue() {
        for (SandboxViews.Overdue overdue : views.overdue(clock.instant(), BATCH)) {
            try {
                commands.sendAndWait(new ExpireSandbox(overdue.sandboxId()));
            } catch (RuntimeException e) {
                // Next sweep retries: the row stays live until the expiry commits.
                log.warn("could not expire sandbox {}: {}", overdue.sandboxId(), e.toString());
            }
        }
        for (SandboxViews.Overdue kept :
                views.pausedSince(clock.instant().minus(properties.pausedRetention()), BATCH)) {
            try {
                commands.sendAndWait(new KillSandbox(kept.sandboxId(), kept.tenantId(), "retention", RETENTION_ACTOR));
            } catch (RuntimeException e) {
                log.warn("could not end paused sandbox {}: {}", kept.sandboxId(), e.toString());
            }
        }
    }
}
