package dev.crownest.gateway.preview;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Preview URLs ({@code crownest.preview.*}, docs/services.md).
 *
 * @param secret      HMAC key of preview tokens and session cookies, the same at every gateway
 *                    ({@code ./crownest up} generates it); empty: a random one per start (one gateway only)
 * @param tokenTtl    how long a token may wait to be exchanged for a session
 * @param sessionTtl  how long a browser session (the cookie) lasts
 * @param publicUrl   the gateway's address as browsers see it, for preview URLs; empty: the request's own
 * @param lookupCache how long a preview's state is reused between requests of one gateway (a closed
 *                    preview or an ended sandbox answers 410 at most this much later)
 * @param nodes       node id to node-agent URL; a node not listed is reached at {@code crownest.node-agent.url}
 */
@ConfigurationProperties("crownest.preview")
public record PreviewProperties(
        @DefaultValue("") String secret,
        @DefaultValue("5m") Duration tokenTtl,
        @DefaultValue("1h") Duration sessionTtl,
        @DefaultValue("") String publicUrl,
        @DefaultValue("1s") Duration lookupCache,
        Map<String, String> nodes) {
    public PreviewProperties {
        nodes = nodes == null ? Map.of() : Map.copyOf(nodes);
    }
}
