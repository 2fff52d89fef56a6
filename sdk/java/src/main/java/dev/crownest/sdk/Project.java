package dev.crownest.sdk;

import java.time.Instant;

/** A project of a tenant: its sandboxes, keys and quotas are kept apart from the other projects'. */
public record Project(String id, String name, Instant createdAt, String createdBy) {}
