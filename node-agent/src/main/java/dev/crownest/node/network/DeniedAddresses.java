package dev.crownest.node.network;

import dev.crownest.contracts.net.PrivateAddresses;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Addresses no sandbox may reach in any mode: every {@link PrivateAddresses private} one (private,
 * loopback, link-local with cloud metadata, carrier-grade NAT, multicast, reserved, the host's own) and
 * the node's own sandbox subnet. The firewall drops the same IPv4 ranges ({@link #ipv4Ranges()}); the
 * proxy checks what a name resolves to.
 */
final class DeniedAddresses {
    private final List<String> ranges;
    private final int[] subnet;

    DeniedAddresses(String sandboxSubnet) {
        List<String> all = new ArrayList<>(PrivateAddresses.IPV4_RANGES);
        all.add(sandboxSubnet);
        this.ranges = List.copyOf(all);
        this.subnet = PrivateAddresses.cidr(sandboxSubnet);
    }

    /** The IPv4 ranges, for the firewall's interval set. */
    List<String> ipv4Ranges() {
        return ranges;
    }

    boolean denies(InetAddress address) {
        if (PrivateAddresses.isPrivate(address)) {
            return true;
        }
        Inet4Address v4 = PrivateAddresses.embeddedIpv4(address);
        return v4 != null && PrivateAddresses.inRange(PrivateAddresses.ipv4(v4.getAddress()), subnet);
    }

    /** Whether some interface of the host already carries this address. */
    static boolean onHost(String address) {
        try {
            return PrivateAddresses.isHostAddress(InetAddress.getByName(address));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    static int ipv4(String dotted) {
        return PrivateAddresses.ipv4(dotted);
    }

    static String text(int ip) {
        return ((ip >>> 24) & 0xff) + "." + ((ip >>> 16) & 0xff) + "." + ((ip >>> 8) & 0xff) + "." + (ip & 0xff);
    }
}
