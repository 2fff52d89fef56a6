package dev.crownest.contracts.api;

/** {@code PUT /v1/tenants/{id}/plan} (operator only): one of metering's configured plans. */
public record TenantPlanRequest(String plan) {}
