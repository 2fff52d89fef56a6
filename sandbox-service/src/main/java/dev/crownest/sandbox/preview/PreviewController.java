package dev.crownest.sandbox.preview;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.api.CreatePreviewRequest;
import dev.crownest.contracts.api.Page;
import dev.crownest.contracts.api.PreviewTarget;
import dev.crownest.contracts.api.PreviewView;
import dev.crownest.contracts.api.SandboxView;
import dev.crownest.kit.caller.Caller;
import dev.crownest.sandbox.lifecycle.SandboxViews;
import dev.crownest.sandbox.naming.ResourceIds;
import java.util.Optional;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Previews of a sandbox's ports ({@code /internal/sandboxes/{id}/previews}) and the gateway's lookup of
 * the preview of a sandbox's port ({@code /internal/previews?sandboxId=&port=}).
 */
@RestController
class PreviewController {
    private static final Logger log = LoggerFactory.getLogger(PreviewController.class);
    private final CommandGateway commands;
    private final SandboxViews sandboxes;
    private final PreviewViews views;

    PreviewController(CommandGateway commands, SandboxViews sandboxes, PreviewViews views) {
        this.commands = commands;
        this.sandboxes = sandboxes;
        this.views = views;
    }

    /**
     * 201 with a new preview, or 200 with the active one of that sandbox and port: a create never
     * makes a second. Two at once: the unique index lets one commit, the other answers the winner.
     */
    @PostMapping("/internal/sandboxes/{sandboxId}/previews")
    ResponseEntity<PreviewView> create(
            Caller caller, @PathVariable String sandboxId, @RequestBody CreatePreviewRequest body) {
        SandboxView sandbox = sandbox(caller, sandboxId);
        Integer port = body == null ? null : body.port();
        if (port == null || port < PreviewAggregate.MIN_PORT || port > PreviewAggregate.MAX_PORT) {
            throw ApiException.badRequest("invalid_port", "port must be between 1 and 65535");
        }
        Optional<PreviewView> existing = views.active(sandboxId, port);
        if (existing.isPresent()) {
            return ResponseEntity.ok(existing.get());
        }
        if ("paused".equals(sandbox.status())) {
            throw ApiException.conflict("sandbox_paused", "sandbox " + sandboxId + " is paused; resume it first");
        }
        if (!"running".equals(sandbox.status())) {
            throw ApiException.conflict("sandbox_not_running", "sandbox " + sandboxId + " is " + sandbox.status());
        }
        String previewId = ResourceIds.preview();
        try {
            commands.sendAndWait(new CreatePreview(
                    previewId, sandboxId, caller.tenant(), sandbox.projectId(), port, caller.actorOrUnknown()));
        } catch (RuntimeException e) {
            // Lost the race for the unique index: the winner is the answer.
            Optional<PreviewView> winner = views.active(sandboxId, port);
            winner.ifPresent(
                    w -> log.info("preview create for {} port {} lost the race to {}", sandboxId, port, w.id()));
            return winner.map(ResponseEntity::ok).orElseThrow(() -> e);
        }
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(views.find(sandboxId, previewId).orElseThrow());
    }

    @GetMapping("/internal/sandboxes/{sandboxId}/previews")
    Page<PreviewView> list(
            Caller caller, @PathVariable String sandboxId, @RequestParam(required = false) String status) {
        if (status != null && !status.equals("active") && !status.equals("closed")) {
            throw ApiException.badRequest("invalid_status", "status must be active or closed");
        }
        sandbox(caller, sandboxId);
        return new Page<>(views.list(sandboxId, status), null);
    }

    @GetMapping("/internal/sandboxes/{sandboxId}/previews/{previewId}")
    PreviewView get(Caller caller, @PathVariable String sandboxId, @PathVariable String previewId) {
        sandbox(caller, sandboxId);
        return preview(sandboxId, previewId);
    }

    /** 200 with the closed preview; closing a closed one answers it again. */
    @DeleteMapping("/internal/sandboxes/{sandboxId}/previews/{previewId}")
    PreviewView close(Caller caller, @PathVariable String sandboxId, @PathVariable String previewId) {
        sandbox(caller, sandboxId);
        preview(sandboxId, previewId);
        commands.sendAndWait(new ClosePreview(previewId, "closed", caller.actorOrUnknown()));
        return preview(sandboxId, previewId);
    }

    /**
     * For the gateway's preview proxy, which serves a sandbox's port on a host of its own, authenticates
     * the caller and compares tenants itself.
     */
    @GetMapping("/internal/previews")
    PreviewTarget target(@RequestParam String sandboxId, @RequestParam int port) {
        return views.target(sandboxId, port)
                .orElseThrow(() -> ApiException.notFound("preview_not_found", "no preview of that port"));
    }

    private PreviewView preview(String sandboxId, String previewId) {
        return views.find(sandboxId, previewId)
                .orElseThrow(() -> ApiException.notFound("preview_not_found", "no preview " + previewId));
    }

    private SandboxView sandbox(Caller caller, String sandboxId) {
        return sandboxes
                .find(caller.tenant(), caller.project(), sandboxId)
                .orElseThrow(() -> ApiException.notFound("sandbox_not_found", "no sandbox " + sandboxId));
    }
}
