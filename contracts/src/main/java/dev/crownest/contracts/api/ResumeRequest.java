package dev.crownest.contracts.api;

/**
 * Optional body of {@code POST /v1/sandboxes/{id}/resume}: with {@code snapshotId}, the resume
 * happens only if the sandbox is paused at that snapshot (else 409 {@code snapshot_not_current}).
 */
public record ResumeRequest(String snapshotId) {}
