package dev.crownest.contracts.api;

/**
 * {@code POST /v1/signup}: no credential. {@code name} is the tenant's (1..100 characters, unique),
 * {@code email} one address (unique, any case); the tenant starts on the free plan.
 */
public record SignupRequest(String name, String email) {}
