package dev.crownest.metering.quota;

/** What sandbox-service asks before it accepts a create: may this sandbox run, with these resources, this long? */
public record AdmissionRequest(String sandboxId, String projectId, Integer vcpu, Integer memoryMb, Long ttlMs) {}
