package dev.crownest.contracts.api;

import java.util.List;

/**
 * {@code POST /v1/keys} (tenant admin): an API key's name, its scopes (names from
 * {@link dev.crownest.contracts.security.Scopes}) and, optionally, the one project it is restricted to.
 */
public record CreateKeyRequest(String name, List<String> scopes, String projectId) {}
