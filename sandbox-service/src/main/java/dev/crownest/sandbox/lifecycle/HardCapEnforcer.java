package dev.crownest.sandbox.lifecycle;

import dev.crownest.contracts.api.SandboxView;
import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.QuotaEvent;
import dev.crownest.contracts.event.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Stops spend when metering reports a breached hard cap: every starting or running sandbox of the
 * bucket (the tenant, or one project) is killed, with {@code system:quota} as the actor. Killing is
 * idempotent, so a redelivered breach changes nothing. Part of the lifecycle, like the TTL reaper:
 * both end sandboxes for a reason no caller gave.
 */
@Component
class HardCapEnforcer {
    static final String ACTOR = "system:quota";
    private static final Logger log = LoggerFactory.getLogger(HardCapEnforcer.class);
    private static final int MAX_PER_STATUS = 10_000;

    private final SandboxViews views;
    private final CommandGateway commands;

    HardCapEnforcer(SandboxViews views, CommandGateway commands) {
        this.views = views;
        this.commands = commands;
    }

    @KafkaListener(topics = Topics.QUOTA_EVENTS, groupId = "${crownest.sandbox.quota-group:sandbox-service-quota}")
    void on(PlatformEvent event) {
        if (!(event instanceof QuotaEvent.HardCapBreached breach)) {
            return;
        }
        List<SandboxView> live = new ArrayList<>();
        // A paused sandbox spends nothing now, but would on resume: the cap ends it too.
        for (String status : List.of("running", "starting", "paused")) {
            live.addAll(views.list(breach.tenantId(), breach.projectId(), status, Map.of(), null, MAX_PER_STATUS)
                    .data());
        }
        String reason = "hard_cap_reached: " + breach.limit() + " "
                + breach.used().toPlainString() + " of " + breach.cap().toPlainString();
        // Sent together, awaited together: a bucket's sandboxes die in parallel, not one after another.
        CompletableFuture.allOf(live.stream()
                        .map(s -> commands.send(new KillSandbox(s.id(), breach.tenantId(), reason, ACTOR)))
                        .toArray(CompletableFuture[]::new))
                .join();
        log.info(
                "hard cap of tenant {} bucket {} reached: killed {} sandboxes",
                breach.tenantId(),
                breach.projectId() == null ? "tenant" : breach.projectId(),
                live.size());
    }
}
