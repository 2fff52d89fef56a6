package dev.crownest.contracts.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Addresses that are not the public internet, as E2B and Stripe judge them: private, loopback,
 * link-local (cloud metadata at 169.254.169.254 among them), carrier-grade NAT, multicast and reserved
 * ranges, unique-local IPv6, IPv4 carried in IPv6, and every address of this host itself. The node's
 * egress proxy refuses them to sandboxes; billing refuses them as webhook targets in production.
 */
public final class PrivateAddresses {
    /** The IPv4 ranges, in CIDR notation (the node's firewall drops the same). */
    public static final List<String> IPV4_RANGES = List.of(
            "0.0.0.0/8",
            "10.0.0.0/8",
            "100.64.0.0/10",
            "127.0.0.0/8",
            "169.254.0.0/16",
            "172.16.0.0/12",
            "192.0.0.0/24",
            "192.168.0.0/16",
            "198.18.0.0/15",
            "224.0.0.0/4",
            "240.0.0.0/4");

    private static final List<int[]> PARSED =
            IPV4_RANGES.stream().map(PrivateAddresses::cidr).toList();

    private PrivateAddresses() {}

    /** Whether {@code address} is anything but a public unicast address of another host. */
    public static boolean isPrivate(InetAddress address) {
        if (address.isAnyLocalAddress()
                || address.isLoopbackAddress()
                || address.isLinkLocalAddress()
                || address.isSiteLocalAddress()
                || address.isMulticastAddress()
                || isHostAddress(address)) {
            return true;
        }
        if (address instanceof Inet4Address v4) {
            int ip = ipv4(v4.getAddress());
            return PARSED.stream().anyMatch(range -> inRange(ip, range));
        }
        byte[] b = address.getAddress();
        if ((b[0] & 0xfe) == 0xfc) {
            return true; // unique local fc00::/7 (fd00:ec2::254 is a metadata address)
        }
        Inet4Address inside = embeddedIpv4(address);
        if (inside != null) {
            return isPrivate(inside);
        }
        return !(address instanceof Inet6Address);
    }

    /**
     * The IPv4 address an IPv6 one carries (mapped {@code ::ffff:a.b.c.d}, NAT64 {@code 64:ff9b::/96}),
     * the address itself when it is IPv4, else null.
     */
    public static Inet4Address embeddedIpv4(InetAddress address) {
        if (address instanceof Inet4Address v4) {
            return v4;
        }
        byte[] b = address.getAddress();
        boolean mapped = isZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean nat64 = (b[0] & 0xff) == 0x00
                && (b[1] & 0xff) == 0x64
                && (b[2] & 0xff) == 0xff
                && (b[3] & 0xff) == 0x9b
                && isZero(b, 4, 12);
        if (!mapped && !nat64) {
            return null;
        }
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }

    /** Whether some interface of this host carries {@code address}; when that cannot be told, true. */
    public static boolean isHostAddress(InetAddress address) {
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress own : Collections.list(nic.getInetAddresses())) {
                    if (Arrays.equals(own.getAddress(), address.getAddress())) {
                        return true;
                    }
                }
            }
            return false;
        } catch (SocketException e) {
            return true; // cannot tell: refuse
        }
    }

    /** {@code a.b.c.d/n} as {network, mask}. */
    public static int[] cidr(String range) {
        String[] p = range.split("/");
        int prefix = Integer.parseInt(p[1]);
        int mask = prefix == 0 ? 0 : (int) (0xffffffffL << (32 - prefix));
        return new int[] {ipv4(p[0]) & mask, mask};
    }

    /** Whether {@code ip} is in the {@link #cidr} {@code range}. */
    public static boolean inRange(int ip, int[] range) {
        return (ip & range[1]) == range[0];
    }

    /** A dotted IPv4 address as an int. */
    public static int ipv4(String dotted) {
        String[] p = dotted.split("\\.");
        if (p.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + dotted);
        }
        int ip = 0;
        for (String part : p) {
            int octet = Integer.parseInt(part);
            if (octet < 0 || octet > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + dotted);
            }
            ip = (ip << 8) | octet;
        }
        return ip;
    }

    /** Four address bytes as an int. */
    public static int ipv4(byte[] b) {
        return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }

    private static boolean isZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
