package dev.crownest.contracts.api;

import java.time.Instant;

/**
 * A template as the tenant sees it: {@code origin} {@code platform} or {@code custom}; {@code from}
 * (custom only) the template it was built from; {@code status} {@code ready}, {@code building} or
 * {@code failed} ({@code error} then says why); {@code sizeBytes} of its image when ready. {@code id}
 * is what a custom template's sandboxes show as their {@code template}.
 */
public record TemplateView(
        String name,
        String id,
        String status,
        long sizeBytes,
        String origin,
        String from,
        Instant createdAt,
        Instant builtAt,
        String error) {}
