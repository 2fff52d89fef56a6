package dev.crownest.gateway.preview;

import java.time.Duration;
import java.util.Locale;
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
 * @param domain      previews are served on {@code {port}-{sandbox id without "sbx_"}.<domain>} at the
 *                    gateway's port ({@code CROWNEST_PREVIEW_DOMAIN}); no API route is ever served under it
 * @param lookupCache how long a preview's state is reused between requests of one gateway (a closed
 *                    preview or an ended sandbox answers 410 at most this much later)
 * @param nodes       node id to node-agent URL; a node not listed is reached at {@code crownest.node-agent.url}
 */
@ConfigurationProperties("crownest.preview")
public record PreviewProperties(
        @DefaultValue("") String secret,
        @DefaultValue("5m") Duration tokenTtl,
        @DefaultValue("1h") Duration sessionTtl,
        @DefaultValue("preview.localhost") String domain,
        @DefaultValue("1s") Duration lookupCache,
        Map<String, String> nodes) {
    public PreviewProperties {
        nodes = nodes == null ? Map.of() : Map.copyOf(nodes);
        domain = domain == null || domain.isBlank() ? "preview.localhost" : strip(domain.toLowerCase(Locale.ROOT));
    }

    private static String strip(String domain) {
        String name = domain.startsWith(".") ? domain.substring(1) : domain;
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
}
