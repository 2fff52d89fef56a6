package dev.crownest.sandbox.artifact;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.api.ArtifactView;
import dev.crownest.contracts.api.Page;
import dev.crownest.kit.caller.Caller;
import dev.crownest.sandbox.lifecycle.SandboxViews;
import dev.crownest.sandbox.web.PageCursor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * {@code /internal/sandboxes/{id}/artifacts}: a sandbox's artifacts, their metadata and content,
 * also after the sandbox ended. Another tenant's (or, under a project key, another project's)
 * sandbox is not found.
 */
@RestController
@RequestMapping("/internal/sandboxes/{sandboxId}/artifacts")
class ArtifactController {
    private static final int MAX_PAGE = 1000;

    private final ArtifactViews artifacts;
    private final SandboxViews sandboxes;
    private final ArtifactStore store;

    ArtifactController(ArtifactViews artifacts, SandboxViews sandboxes, ArtifactStore store) {
        this.artifacts = artifacts;
        this.sandboxes = sandboxes;
        this.store = store;
    }

    @GetMapping
    Page<ArtifactView> list(
            Caller caller,
            @PathVariable String sandboxId,
            @RequestParam(required = false) String commandId,
            @RequestParam(defaultValue = "100") int limit,
            @RequestParam(required = false) String cursor) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw ApiException.badRequest("invalid_limit", "limit must be between 1 and " + MAX_PAGE);
        }
        PageCursor after = PageCursor.decode(cursor);
        sandbox(caller, sandboxId);
        return artifacts.list(caller.tenant(), sandboxId, Caller.blankToNull(commandId), after, limit);
    }

    @GetMapping("/{artifactId}")
    ArtifactView get(Caller caller, @PathVariable String sandboxId, @PathVariable String artifactId) {
        return artifact(caller, sandboxId, artifactId).view();
    }

    /** The bytes, streamed from the store; {@code ETag} is the quoted SHA-256. */
    @GetMapping("/{artifactId}/content")
    ResponseEntity<StreamingResponseBody> content(
            Caller caller, @PathVariable String sandboxId, @PathVariable String artifactId) throws IOException {
        ArtifactViews.Stored artifact = artifact(caller, sandboxId, artifactId);
        InputStream content = store.get(artifact.storageKey())
                .orElseThrow(() -> new ApiException(
                        HttpStatus.INTERNAL_SERVER_ERROR.value(),
                        "internal",
                        "artifact_content_missing",
                        "the content of artifact " + artifactId + " is missing from the store"));
        ArtifactView view = artifact.view();
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(view.contentType()))
                .contentLength(view.size())
                .eTag("\"" + view.sha256() + "\"")
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment()
                                .filename(view.name(), StandardCharsets.UTF_8)
                                .build()
                                .toString())
                .body(out -> {
                    try (content) {
                        content.transferTo(out);
                    }
                });
    }

    private ArtifactViews.Stored artifact(Caller caller, String sandboxId, String artifactId) {
        sandbox(caller, sandboxId);
        return artifacts
                .find(caller.tenant(), sandboxId, artifactId)
                .orElseThrow(() -> ApiException.notFound("artifact_not_found", "no artifact " + artifactId));
    }

    private void sandbox(Caller caller, String sandboxId) {
        sandboxes
                .find(caller.tenant(), caller.project(), sandboxId)
                .orElseThrow(() -> ApiException.notFound("sandbox_not_found", "no sandbox " + sandboxId));
    }
}
