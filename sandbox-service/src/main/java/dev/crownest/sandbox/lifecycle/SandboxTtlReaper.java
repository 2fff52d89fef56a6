package dev.crownest.sandbox.lifecycle;

import java.time.Clock;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Ends sandboxes whose TTL ran out. It reads deadlines from the database, not from memory, so a
 * restart of this service never lets a sandbox outlive its TTL by more than one sweep.
 */
@Component
class SandboxTtlReaper {
    private static final Logger log = LoggerFactory.getLogger(SandboxTtlReaper.class);
    private static final int BATCH = 500;

    private final SandboxViews views;
    private final CommandGateway commands;
    private final Clock clock;

    SandboxTtlReaper(SandboxViews views, CommandGateway commands, Clock clock) {
        this.views = views;
        this.commands = commands;
        this.clock = clock;
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
    }
}
