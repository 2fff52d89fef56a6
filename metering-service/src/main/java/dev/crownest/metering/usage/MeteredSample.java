package dev.crownest.metering.usage;

/**
 * What metering takes from a {@code UsageSampled} event: whose sandbox ran in which second, and on
 * what allocation. The rest of the event (its id, when it was sent, the CPU actually used) does not
 * change what is billed: a second counts once by (sandbox, second), whatever the event's id.
 *
 * @param tenantId null for node-level samples, which are not metered
 */
record MeteredSample(String tenantId, String sandboxId, String projectId, long second, int vcpu, int memoryMb) {}
