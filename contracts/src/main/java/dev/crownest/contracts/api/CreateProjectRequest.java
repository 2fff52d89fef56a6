package dev.crownest.contracts.api;

/** {@code POST /v1/projects} (tenant admin): a project's name, 1..100 characters, unique in the tenant. */
public record CreateProjectRequest(String name) {}
