package dev.crownest.sandbox.preview;

import dev.crownest.contracts.event.SandboxEvent;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

/**
 * Closes a sandbox's active previews when it ends (killed, expired, failed). Tracking, so it runs
 * after the end committed and retries on failure; the gateway also refuses a preview whose sandbox
 * is no longer running, so nothing is served in between.
 */
@Component
@ProcessingGroup(PreviewsEndWithSandbox.GROUP)
class PreviewsEndWithSandbox {
    static final String GROUP = "preview-closer";
    static final String ACTOR = "system:preview";

    private final CommandGateway commands;
    private final PreviewViews views;

    PreviewsEndWithSandbox(CommandGateway commands, PreviewViews views) {
        this.commands = commands;
        this.views = views;
    }

    @EventHandler
    void on(SandboxEvent.SandboxKilled event) {
        close(event.sandboxId());
    }

    @EventHandler
    void on(SandboxEvent.SandboxExpired event) {
        close(event.sandboxId());
    }

    @EventHandler
    void on(SandboxEvent.SandboxFailed event) {
        close(event.sandboxId());
    }

    private void close(String sandboxId) {
        for (String previewId : views.activeIds(sandboxId)) {
            commands.sendAndWait(new ClosePreview(previewId, "sandbox_ended", ACTOR));
        }
    }
}
