package dev.crownest.audit.replay;

import java.util.List;

/**
 * The read models replay compares, in the shape of sandbox-service's
 * {@code GET /internal/read-models/snapshot}: {@code {sandboxes:[{id,status,projectId}], keys:[{id,revoked}]}}.
 */
public record ReadModels(List<SandboxState> sandboxes, List<KeyState> keys) {
    public ReadModels {
        sandboxes = sandboxes == null ? List.of() : List.copyOf(sandboxes);
        keys = keys == null ? List.of() : List.copyOf(keys);
    }

    /** The part of these models one project may see: its sandboxes, and no keys (they are the tenant's). */
    public ReadModels of(String project) {
        return new ReadModels(
                sandboxes.stream().filter(s -> project.equals(s.projectId())).toList(), List.of());
    }

    /** A sandbox: {@code starting|running|paused|failed|killed|expired} and its project ({@code null} for none). */
    public record SandboxState(String id, String status, String projectId) {}

    /** An API key: revoked or active. */
    public record KeyState(String id, boolean revoked) {}
}
