package dev.crownest.sandbox.project;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.api.CreateProjectRequest;
import dev.crownest.contracts.api.Page;
import dev.crownest.contracts.api.ProjectView;
import dev.crownest.kit.caller.Caller;
import dev.crownest.sandbox.naming.ResourceIds;
import dev.crownest.sandbox.naming.ResourceNames;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /internal/projects}: a tenant admin's projects, always within the tenant the gateway names. */
@RestController
@RequestMapping("/internal/projects")
class ProjectController {
    private static final int MAX_PAGE = 1000;

    private final CommandGateway commands;
    private final ProjectViews views;

    ProjectController(CommandGateway commands, ProjectViews views) {
        this.commands = commands;
        this.views = views;
    }

    @PostMapping
    ResponseEntity<ProjectView> create(Caller caller, @RequestBody CreateProjectRequest body) {
        String tenantId = caller.tenant();
        String name = ResourceNames.require(body.name(), "a project");
        if (views.nameTaken(tenantId, name)) {
            throw ApiException.conflict("project_name_taken", "a project named '" + name + "' exists");
        }
        String projectId = ResourceIds.project();
        commands.sendAndWait(new CreateProject(projectId, tenantId, name, caller.actorOrUnknown()));
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(views.find(tenantId, projectId).orElseThrow());
    }

    @GetMapping
    Page<ProjectView> list(Caller caller, @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw ApiException.badRequest("invalid_limit", "limit must be between 1 and " + MAX_PAGE);
        }
        return new Page<>(views.list(caller.tenant(), limit), null);
    }

    @GetMapping("/{id}")
    ProjectView get(Caller caller, @PathVariable String id) {
        return views.find(caller.tenant(), id)
                .orElseThrow(() -> ApiException.notFound("project_not_found", "no project " + id));
    }
}
