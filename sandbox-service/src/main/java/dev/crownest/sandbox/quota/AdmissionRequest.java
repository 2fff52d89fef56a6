package dev.crownest.sandbox.quota;

/**
 * What a create asks metering-service for before the sandbox exists: may this sandbox of the tenant
 * (and project) run with these resources, this long? Its own value rather than the create command,
 * so quota admission knows nothing of the sandbox lifecycle that calls it.
 */
public record AdmissionRequest(
        String tenantId, String sandboxId, String projectId, int vcpu, int memoryMb, long ttlMs) {}
