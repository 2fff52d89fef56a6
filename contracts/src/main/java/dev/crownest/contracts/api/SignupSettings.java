package dev.crownest.contracts.api;

/** {@code GET/PUT /v1/settings/signup} (operator only): whether {@code POST /v1/signup} takes new tenants. */
public record SignupSettings(Boolean enabled) {}
