package dev.crownest.node.network;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Addresses no sandbox may reach in any mode, as E2B does it: private, loopback, link-local (cloud
 * metadata at 169.254.169.254 among them), carrier-grade NAT, multicast and reserved ranges, the
 * node's own sandbox subnet, and every address of the host itself. The firewall drops the same
 * IPv4 ranges ({@link #ipv4Ranges()}); the proxy checks what a name resolves to.
 */
final class DeniedAddresses {
    private static final List<String> IPV4 = List.of(
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

    private final List<String> ranges;
    private final int[][] parsed;

    DeniedAddresses(String sandboxSubnet) {
        List<String> all = new ArrayList<>(IPV4);
        all.add(sandboxSubnet);
        this.ranges = List.copyOf(all);
        this.parsed = all.stream()
                .map(r -> {
                    String[] p = r.split("/");
                    int prefix = Integer.parseInt(p[1]);
                    int mask = prefix == 0 ? 0 : (int) (0xffffffffL << (32 - prefix));
                    return new int[] {ipv4(p[0]) & mask, mask};
                })
                .toArray(int[][]::new);
    }

    /** The IPv4 ranges, for the firewall's interval set. */
    List<String> ipv4Ranges() {
        return ranges;
    }

    boolean denies(InetAddress address) {
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
            for (int[] range : parsed) {
                if ((ip & range[1]) == range[0]) {
                    return true;
                }
            }
            return false;
        }
        byte[] b = address.getAddress();
        if ((b[0] & 0xfe) == 0xfc) {
            return true; // unique local fc00::/7 (fd00:ec2::254 is a metadata address)
        }
        // IPv4 carried in IPv6 (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96): judge the IPv4 inside.
        boolean mapped = isZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean nat64 = (b[0] & 0xff) == 0x00
                && (b[1] & 0xff) == 0x64
                && (b[2] & 0xff) == 0xff
                && (b[3] & 0xff) == 0x9b
                && isZero(b, 4, 12);
        if (mapped || nat64) {
            try {
                return denies(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
            } catch (UnknownHostException e) {
                return true;
            }
        }
        return !(address instanceof Inet6Address);
    }

    private static boolean isHostAddress(InetAddress address) {
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

    /** Whether some interface of the host already carries this address. */
    static boolean onHost(String address) {
        try {
            return isHostAddress(InetAddress.getByName(address));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static boolean isZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    static int ipv4(String dotted) {
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

    private static int ipv4(byte[] b) {
        return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }

    static String text(int ip) {
        return ((ip >>> 24) & 0xff) + "." + ((ip >>> 16) & 0xff) + "." + ((ip >>> 8) & 0xff) + "." + (ip & 0xff);
    }
}
