package dev.crownest.contracts.api;

/** Body of {@code POST /v1/sandboxes/{id}/previews}: the TCP port inside the sandbox (1..65535) that serves HTTP. */
public record CreatePreviewRequest(Integer port) {}
