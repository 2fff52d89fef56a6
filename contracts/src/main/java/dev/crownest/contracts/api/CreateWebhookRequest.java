package dev.crownest.contracts.api;

import java.util.List;

/**
 * {@code POST /v1/webhooks} (tenant admin session): where to deliver and which event types, each a
 * type ({@code sandbox.started}), a family ({@code sandbox.*}) or {@code *} for every type.
 *
 * @param url    {@code http} or {@code https}, at most 2048 characters
 * @param events at least one filter, at most 20
 */
public record CreateWebhookRequest(String url, List<String> events) {}
