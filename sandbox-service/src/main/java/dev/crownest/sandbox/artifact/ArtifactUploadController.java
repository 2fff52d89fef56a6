package dev.crownest.sandbox.artifact;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.api.ArtifactView;
import dev.crownest.contracts.api.CollectFile;
import dev.crownest.sandbox.lifecycle.SandboxViews;
import dev.crownest.sandbox.naming.ResourceIds;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The execution worker hands over a collected file: {@code PUT /internal/reports/commands/{cid}/artifacts?path=}
 * with the raw content, streamed from the node into the artifact store, then indexed through the
 * Command aggregate. Idempotent by command and path: a repeated upload answers the artifact of the
 * first and stores nothing. Everything that can be refused is refused before the body is read (the
 * worker sends {@code Expect: 100-continue}, so a refused body never travels).
 */
@RestController
class ArtifactUploadController {
    private static final Logger log = LoggerFactory.getLogger(ArtifactUploadController.class);
    private static final String WORKER = "execution-worker";
    private static final TypeReference<List<CollectFile>> COLLECT = new TypeReference<>() {};

    private final ArtifactStore store;
    private final ArtifactViews artifacts;
    private final SandboxViews sandboxes;
    private final CommandGateway commands;
    private final ArtifactProperties properties;
    private final ObjectMapper json;

    ArtifactUploadController(
            ArtifactStore store,
            ArtifactViews artifacts,
            SandboxViews sandboxes,
            CommandGateway commands,
            ArtifactProperties properties,
            ObjectMapper json) {
        this.store = store;
        this.artifacts = artifacts;
        this.sandboxes = sandboxes;
        this.commands = commands;
        this.properties = properties;
        this.json = json;
    }

    /** 201 the new artifact; 200 the one collected before; 413 {@code artifact_too_large}; 409 {@code command_finished}. */
    @PutMapping("/internal/reports/commands/{commandId}/artifacts")
    ResponseEntity<ArtifactView> upload(
            @PathVariable String commandId, @RequestParam String path, HttpServletRequest request) throws IOException {
        ArtifactViews.CommandOfUpload command = artifacts
                .commandOf(commandId)
                .orElseThrow(() -> ApiException.notFound("command_not_found", "no command " + commandId));
        CollectFile declared = declared(command, path);
        Optional<ArtifactView> earlier = artifacts.findByPath(commandId, declared.path());
        if (earlier.isPresent()) {
            return ResponseEntity.ok(earlier.get());
        }
        if (command.finished()) {
            throw ApiException.conflict("command_finished", "command " + commandId + " already finished");
        }
        long maxBytes = properties.maxBytes().toBytes();
        if (request.getContentLengthLong() > maxBytes) {
            throw tooLarge(maxBytes);
        }
        String projectId =
                sandboxes.find(command.sandboxId()).map(s -> s.projectId()).orElse(null);
        String artifactId = ResourceIds.artifact();
        String key = ArtifactKeys.of(command.tenantId(), command.sandboxId(), artifactId);
        ArtifactStore.StoredObject stored;
        try {
            stored = store.put(key, request.getInputStream(), maxBytes);
        } catch (ArtifactStore.TooLarge e) {
            throw tooLarge(maxBytes);
        }
        try {
            commands.sendAndWait(new RecordArtifactCollected(
                    commandId,
                    artifactId,
                    projectId,
                    declared.path(),
                    declared.name(),
                    stored.size(),
                    stored.sha256(),
                    ArtifactContentTypes.of(declared.name()),
                    key,
                    WORKER));
        } catch (ApiException rejected) {
            // Not indexed, so nobody can reach these bytes: remove them.
            store.delete(key);
            if ("artifact_exists".equals(rejected.code())) {
                return ResponseEntity.ok(
                        artifacts.findByPath(commandId, declared.path()).orElseThrow());
            }
            throw rejected;
        } catch (RuntimeException e) {
            store.delete(key);
            throw e;
        }
        log.debug("artifact {} of command {}: {} bytes", artifactId, commandId, stored.size());
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(artifacts.findByPath(commandId, declared.path()).orElseThrow());
    }

    private CollectFile declared(ArtifactViews.CommandOfUpload command, String path) throws IOException {
        List<CollectFile> collect =
                command.collectJson() == null ? List.of() : json.readValue(command.collectJson(), COLLECT);
        return collect.stream()
                .filter(file -> file.path().equals(path))
                .findFirst()
                .orElseThrow(
                        () -> ApiException.badRequest("path_not_declared", "the command does not collect " + path));
    }

    private static ApiException tooLarge(long maxBytes) {
        return new ApiException(
                HttpStatus.PAYLOAD_TOO_LARGE.value(),
                "invalid_request",
                "artifact_too_large",
                "the file is larger than the artifact limit of " + maxBytes + " bytes");
    }
}
