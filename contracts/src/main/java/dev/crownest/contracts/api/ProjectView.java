package dev.crownest.contracts.api;

import java.time.Instant;

/** A project of a tenant. */
public record ProjectView(String id, String name, Instant createdAt, String createdBy) {}
