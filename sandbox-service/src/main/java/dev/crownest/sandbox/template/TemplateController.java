package dev.crownest.sandbox.template;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.api.CreateTemplateRequest;
import dev.crownest.contracts.api.Page;
import dev.crownest.contracts.api.TemplateLogs;
import dev.crownest.contracts.api.TemplateView;
import dev.crownest.contracts.node.NodeTemplate;
import dev.crownest.contracts.node.TemplateBuildOutcome;
import dev.crownest.kit.caller.Caller;
import dev.crownest.sandbox.naming.ResourceIds;
import java.util.List;
import java.util.Map;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Templates ({@code /internal/templates}): the platform's and the caller tenant's own; custom ones
 * are created (built by the worker on a node, answered 202 while building), read with their build's
 * logs, and deleted when no sandbox uses them. The worker reports builds at
 * {@code /internal/reports/templates/{id}}.
 */
@RestController
class TemplateController {
    private final CommandGateway commands;
    private final TemplateDirectory directory;
    private final TemplateViews views;

    TemplateController(CommandGateway commands, TemplateDirectory directory, TemplateViews views) {
        this.commands = commands;
        this.directory = directory;
        this.views = views;
    }

    @GetMapping("/internal/templates")
    Page<TemplateView> list(Caller caller) {
        return new Page<>(directory.list(caller.tenant()), null);
    }

    @PostMapping("/internal/templates")
    ResponseEntity<TemplateView> create(Caller caller, @RequestBody(required = false) CreateTemplateRequest body) {
        if (body == null) {
            throw ApiException.badRequest("invalid_request", "a body {name, from, run, files} is required");
        }
        TemplateRules.validate(body.name(), body.run(), body.files());
        if (directory.find(caller.tenant(), body.name()).isPresent()) {
            throw ApiException.conflict("template_exists", "template " + body.name() + " exists");
        }
        TemplateView from = body.from() == null
                ? null
                : directory.find(caller.tenant(), body.from()).orElse(null);
        if (from == null) {
            throw ApiException.badRequest("unknown_template", "unknown template '" + body.from() + "' as from");
        }
        if (!NodeTemplate.READY.equals(from.status())) {
            throw ApiException.conflict(
                    "template_not_ready", "template " + body.from() + " is " + from.status() + "; build from it later");
        }
        String id = ResourceIds.template();
        try {
            commands.sendAndWait(new CreateTemplate(
                    id,
                    caller.tenant(),
                    body.name(),
                    from.id(),
                    from.name(),
                    body.run() == null ? List.of() : body.run(),
                    body.files() == null ? Map.of() : body.files(),
                    caller.actorOrUnknown()));
        } catch (RuntimeException e) {
            // lost the race for the name to a create at the same moment (the projection's unique index)
            if (views.find(caller.tenant(), body.name())
                    .filter(r -> !r.view().id().equals(id))
                    .isPresent()) {
                throw ApiException.conflict("template_exists", "template " + body.name() + " exists");
            }
            throw e;
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .body(custom(caller, body.name()).view());
    }

    @GetMapping("/internal/templates/{name}")
    TemplateView get(Caller caller, @PathVariable String name) {
        return directory.find(caller.tenant(), name).orElseThrow(() -> notFound(name));
    }

    @GetMapping("/internal/templates/{name}/logs")
    TemplateLogs logs(Caller caller, @PathVariable String name) {
        return custom(caller, name).logs();
    }

    @DeleteMapping("/internal/templates/{name}")
    TemplateView delete(Caller caller, @PathVariable String name) {
        TemplateView view = custom(caller, name).view();
        if (NodeTemplate.BUILDING.equals(view.status())) {
            throw ApiException.conflict("template_in_use", "template " + name + " is building; delete it when done");
        }
        if (views.inUse(view.id())) {
            throw ApiException.conflict(
                    "template_in_use", "sandboxes of template " + name + " still run or are paused; kill them first");
        }
        commands.sendAndWait(new DeleteTemplate(view.id(), caller.actorOrUnknown()));
        return new TemplateView(
                view.name(),
                view.id(),
                "deleted",
                view.sizeBytes(),
                view.origin(),
                view.from(),
                view.createdAt(),
                view.builtAt(),
                view.error());
    }

    @PostMapping("/internal/reports/templates/{id}")
    ResponseEntity<Void> report(@PathVariable String id, @RequestBody TemplateBuildOutcome outcome) {
        commands.sendAndWait(new RecordTemplateBuild(id, outcome));
        return ResponseEntity.ok().build();
    }

    private TemplateViews.Row custom(Caller caller, String name) {
        return views.find(caller.tenant(), name).orElseThrow(() -> notFound(name));
    }

    private static ApiException notFound(String name) {
        return ApiException.notFound("template_not_found", "no custom template " + name);
    }
}
