package dev.crownest.contracts.api;

/** {@code POST /v1/tenants} (operator only): a tenant's name and its quota plan (one of metering's plans). */
public record CreateTenantRequest(String name, String plan) {}
