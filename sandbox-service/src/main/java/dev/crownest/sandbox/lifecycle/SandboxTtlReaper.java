package dev.crownest.sandbox.lifecycle;

import java.time.Clock;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Ends sandboxes whose TTL ran out, and paused sandboxes past the retention (killed, reason
 * {@code retention}: a paused sandbox's TTL stands still). It reads deadlines from the database, not
 * from memory, so a restart of this service never lets a sandbox outlive its TTL by more than one sweep.
 */
@Component
class SandboxTtlReaper {
    private static final Logger log = LoggerFactory.getLogger(SandboxTtlReaper.class);
    private static final int BATCH = 500;
    static final String RETENTION_ACTOR = "system:retention";

    private final SandboxViews views;
    private final CommandGateway commands;
    private final Clock clock;
    private final SandboxProperties properties;

    SandboxTtlReaper(SandboxViews views, CommandGateway commands, Clock clock, SandboxProperties properties) {
        this.views = views;
        this.commands = commands;
        this.clock = clock;
        this.properties = properties;
    }

    @Scheduled(fixedDelayString = "${crownest.sandbox.reaper-interval-ms:200}")
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
