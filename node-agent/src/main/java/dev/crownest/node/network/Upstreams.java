package dev.crownest.node.network;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Map;

/**
 * Where the proxy connects for an allowlisted name: the name is resolved once, every address it
 * resolves to must be outside the denied ranges (a name pointing at 10.0.0.1 or the metadata address
 * is refused however it is listed), and the connection goes to exactly the address that was checked.
 */
final class Upstreams {
    /** The proxy says no; the message is safe to show the sandbox and to log. */
    static final class Refused extends Exception {
        private final String reason;

        Refused(String reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }

        /** One of {@link DeniedEgress}'s reasons. */
        String reason() {
            return reason;
        }
    }

    private final DeniedAddresses denied;
    private final Map<String, String> overrides;

    Upstreams(DeniedAddresses denied, Map<String, String> overrides) {
        this.denied = denied;
        this.overrides = overrides;
    }

    InetSocketAddress resolve(String host, int port) throws Refused {
        String override = overrides.get(host.toLowerCase(Locale.ROOT));
        if (override != null) {
            // Test hook (crownest.node.network.proxy-hosts-override): a node property, not a tenant's.
            int colon = override.lastIndexOf(':');
            return new InetSocketAddress(override.substring(0, colon), Integer.parseInt(override.substring(colon + 1)));
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new Refused(DeniedEgress.UNRESOLVED, "host '" + host + "' does not resolve");
        }
        for (InetAddress address : addresses) {
            if (denied.denies(address)) {
                throw new Refused(DeniedEgress.DENIED_ADDRESS, "host '" + host + "' resolves to a denied address");
            }
        }
        return new InetSocketAddress(addresses[0], port);
    }
}
