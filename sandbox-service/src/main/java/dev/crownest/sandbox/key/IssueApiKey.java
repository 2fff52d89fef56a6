package dev.crownest.sandbox.key;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;

/** Issue an API key; only the SHA-256 hex of its secret ever reaches the control plane. */
public record IssueApiKey(@TargetAggregateIdentifier String keyId, String tenantId, String name, List<String> scopes,
                          String projectId, String secretHash, String actor) {
}
