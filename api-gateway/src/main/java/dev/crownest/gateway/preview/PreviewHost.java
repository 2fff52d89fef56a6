package dev.crownest.gateway.preview;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A preview's own origin: {@code {port}-{sandbox id without "sbx_"}.{domain}} on the gateway's port. Each
 * sandbox port is a host of its own, so browsers keep its cookies, storage and scripts apart from the API
 * and from every other preview, and an app's absolute paths ({@code /static/app.js}) are its own.
 *
 * @param port      the port inside the sandbox
 * @param sandboxId the sandbox's id, with its {@code sbx_} prefix
 */
record PreviewHost(int port, String sandboxId) {
    static final String SANDBOX_PREFIX = "sbx_";
    private static final Pattern LABEL = Pattern.compile("([1-9][0-9]{0,4})-([a-z0-9]{1,60})");

    /** Whether a request's host name (without port) belongs to the preview domain: such a host never gets the API. */
    static boolean inPreviewSpace(String host, String domain) {
        String name = normalize(host);
        return name.equals(domain) || name.endsWith("." + domain);
    }

    /** The preview a host name stands for; empty for the domain itself, other names under it, or a bad port. */
    static Optional<PreviewHost> parse(String host, String domain) {
        String name = normalize(host);
        if (!name.endsWith("." + domain)) {
            return Optional.empty();
        }
        Matcher label = LABEL.matcher(name.substring(0, name.length() - domain.length() - 1));
        if (!label.matches()) {
            return Optional.empty();
        }
        int port = Integer.parseInt(label.group(1));
        return port > 65_535 ? Optional.empty() : Optional.of(new PreviewHost(port, SANDBOX_PREFIX + label.group(2)));
    }

    /** The host name of a sandbox's port under {@code domain}. */
    static String name(String sandboxId, int port, String domain) {
        String id = sandboxId.startsWith(SANDBOX_PREFIX) ? sandboxId.substring(SANDBOX_PREFIX.length()) : sandboxId;
        return port + "-" + id + "." + domain;
    }

    /** Host names are case-insensitive and may end with the root's dot. */
    private static String normalize(String host) {
        String name = host == null ? "" : host.toLowerCase(Locale.ROOT);
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
}
