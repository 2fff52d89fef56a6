package dev.crownest.sandbox.lifecycle;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.api.SandboxView;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Pauses a tenant's sandboxes for a reason no caller gave (a suspension, exhausted credit): the ordinary
 * pause, a snapshot kept, so nothing is lost. Sent together and awaited together, so a tenant's sandboxes
 * pause in parallel, as a hard cap's die.
 */
@Component
class TenantPauses {
    private static final Logger log = LoggerFactory.getLogger(TenantPauses.class);
    private static final int MAX_SANDBOXES = 10_000;

    private final SandboxViews sandboxes;
    private final CommandGateway commands;

    TenantPauses(SandboxViews sandboxes, CommandGateway commands) {
        this.sandboxes = sandboxes;
        this.commands = commands;
    }

    /** Pauses every running sandbox of the tenant; answers how many were asked to pause. */
    int pauseRunning(String tenantId, String actor) {
        List<String> running = sandboxes.list(tenantId, null, "running", Map.of(), null, MAX_SANDBOXES).data().stream()
                .map(SandboxView::id)
                .toList();
        CompletableFuture.allOf(
                        running.stream().map(id -> send(tenantId, id, actor)).toArray(CompletableFuture[]::new))
                .join();
        return running.size();
    }

    /** Pauses one sandbox; one that ended meanwhile needs nothing. */
    void pause(String tenantId, String sandboxId, String actor) {
        send(tenantId, sandboxId, actor).join();
    }

    private CompletableFuture<Object> send(String tenantId, String sandboxId, String actor) {
        return commands.send(new PauseSandbox(sandboxId, tenantId, actor)).exceptionally(failure -> {
            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
            if (!(cause instanceof ApiException)) {
                throw new CompletionException(cause);
            }
            // killed, expired or failed meanwhile: nothing runs that a pause could stop
            log.debug("sandbox {} not paused ({}): {}", sandboxId, actor, cause.getMessage());
            return null;
        });
    }
}
