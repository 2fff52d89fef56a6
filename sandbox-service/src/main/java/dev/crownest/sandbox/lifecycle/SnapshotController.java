package dev.crownest.sandbox.lifecycle;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.api.Page;
import dev.crownest.contracts.api.SnapshotView;
import dev.crownest.kit.caller.Caller;
import dev.crownest.sandbox.web.PageCursor;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /internal/snapshots}: what the pauses of the tenant's sandboxes saved. Another tenant's (or, for
 * a project-restricted key, another project's) snapshot is 404 {@code snapshot_not_found}; a deleted one
 * 410 {@code snapshot_gone}.
 */
@RestController
@RequestMapping("/internal/snapshots")
class SnapshotController {
    private static final int MAX_PAGE = 1000;

    private final SnapshotViews snapshots;
    private final CommandGateway commands;

    SnapshotController(SnapshotViews snapshots, CommandGateway commands) {
        this.snapshots = snapshots;
        this.commands = commands;
    }

    /** Newest first, a page at a time; deleted snapshots are not listed. {@code sandboxId} filters. */
    @GetMapping
    Page<SnapshotView> list(
            Caller caller,
            @RequestParam(required = false) String sandboxId,
            @RequestParam(defaultValue = "100") int limit,
            @RequestParam(required = false) String cursor) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw ApiException.badRequest("invalid_limit", "limit must be between 1 and " + MAX_PAGE);
        }
        return snapshots.list(
                caller.tenant(), caller.project(), Caller.blankToNull(sandboxId), PageCursor.decode(cursor), limit);
    }

    @GetMapping("/{id}")
    SnapshotView get(Caller caller, @PathVariable String id) {
        return snapshots.require(caller.tenant(), caller.project(), id);
    }

    /** Deletes it; the snapshot a sandbox is paused at ends that sandbox (killed, reason snapshot_deleted). */
    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(Caller caller, @PathVariable String id) {
        SnapshotView snapshot = snapshots.require(caller.tenant(), caller.project(), id);
        commands.sendAndWait(new DeleteSnapshot(snapshot.sandboxId(), id, caller.tenant(), caller.actorOrUnknown()));
    }
}
