package dev.crownest.sandbox.key;

import java.util.List;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Issue an API key; only the SHA-256 hex of its secret ever reaches the control plane. */
public record IssueApiKey(
        @TargetAggregateIdentifier String keyId,
        String tenantId,
        String name,
        List<String> scopes,
        String projectId,
        String secretHash,
        String actor) {}
