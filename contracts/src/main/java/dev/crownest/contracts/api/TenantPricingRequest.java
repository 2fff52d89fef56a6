package dev.crownest.contracts.api;

/** {@code PUT /v1/tenants/{id}/pricing} (operator only): the published version the tenant's usage is rated at from now on. */
public record TenantPricingRequest(String pricingVersion) {}
