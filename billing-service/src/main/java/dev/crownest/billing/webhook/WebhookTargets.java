package dev.crownest.billing.webhook;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.net.PrivateAddresses;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * Which URLs may receive webhooks. At registration the URL's form is checked (http or https, at most
 * 2 KB, a host, no credentials) and so is every address its host resolves to; at every delivery the
 * addresses are checked again, so a name that later resolves to a private address (DNS rebinding) is
 * refused then. The client connects through the JVM's resolver cache (30 s for an answer), which the
 * check has just filled, so it connects to an address that was checked.
 *
 * <p>Refused: private and loopback addresses unless {@code allow-private-targets} (production says
 * false), and always the platform's own service ports on this host's addresses.
 */
@Component
class WebhookTargets {
    static final int MAX_URL_LENGTH = 2048;

    private final WebhookProperties properties;

    WebhookTargets(WebhookProperties properties) {
        this.properties = properties;
    }

    /** A refused target: why, for the error answer or the delivery's last error. */
    static final class RefusedTarget extends Exception {
        final String code;

        RefusedTarget(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    /** The URL of a new endpoint, checked; 400 in the error shape otherwise. */
    URI registrable(String url) {
        URI uri = wellFormed(url);
        try {
            check(uri);
        } catch (RefusedTarget e) {
            throw ApiException.badRequest(e.code, e.getMessage());
        }
        return uri;
    }

    /** Checks the addresses {@code uri}'s host resolves to now, before a delivery. */
    void check(URI uri) throws RefusedTarget {
        String host = uri.getHost();
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new RefusedTarget("webhook_target_unresolved", "the host " + host + " does not resolve");
        }
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        for (InetAddress address : addresses) {
            boolean local = address.isLoopbackAddress()
                    || address.isAnyLocalAddress()
                    || PrivateAddresses.isHostAddress(address);
            if (local && properties.reservedPorts().contains(port)) {
                throw new RefusedTarget(
                        "webhook_target_refused",
                        "port " + port + " of this host is one of the platform's own services");
            }
            if (!properties.allowPrivateTargets() && PrivateAddresses.isPrivate(address)) {
                throw new RefusedTarget(
                        "webhook_target_refused",
                        "the host " + host + " resolves to a private or loopback address, which this platform"
                                + " does not deliver to");
            }
        }
    }

    private static URI wellFormed(String url) {
        if (url == null || url.isBlank()) {
            throw invalid("url is required: the http or https URL that receives the events");
        }
        if (url.length() > MAX_URL_LENGTH) {
            throw ApiException.badRequest(
                    "webhook_url_too_long", "url is " + url.length() + " characters; at most " + MAX_URL_LENGTH);
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw invalid("url is not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw invalid("url must be http or https");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw invalid("url must name a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw invalid("url must not carry credentials; verify the signature instead");
        }
        if (uri.getRawFragment() != null) {
            throw invalid("url must not have a fragment");
        }
        return uri;
    }

    private static ApiException invalid(String message) {
        return ApiException.badRequest("invalid_webhook_url", message);
    }
}
