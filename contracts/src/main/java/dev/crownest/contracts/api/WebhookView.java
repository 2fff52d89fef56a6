package dev.crownest.contracts.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * A webhook endpoint of the tenant. {@code secret} (the HMAC key of its deliveries' signatures) is set
 * only in the answers to its creation and to a rotation, the one time each secret is shown.
 *
 * @param events    the event filters it was registered with ({@code sandbox.*}, {@code command.finished}, ...)
 * @param createdBy the admin session (or {@code operator}) that registered it
 */
public record WebhookView(
        String id,
        String url,
        List<String> events,
        Instant createdAt,
        String createdBy,
        Instant secretRotatedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) String secret) {}
