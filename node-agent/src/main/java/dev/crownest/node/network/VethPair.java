package dev.crownest.node.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A sandbox's network namespace and the veth pair into it: the host end carries the /30's first
 * address, the sandbox end ({@code eth0} inside) the second. runsc's netstack takes the inside
 * end over at start. Only open sandboxes get a default route; restricted ones reach their /30 alone.
 */
final class VethPair {
    private static final Path NETNS_DIR = Path.of("/run/netns");

    private VethPair() {}

    static void create(SandboxNetwork net, boolean defaultRoute) {
        HostCommand.run(
                "netns add " + net.netns() + "\n"
                        + "link add " + net.hostInterface() + " type veth peer name eth0 netns " + net.netns() + "\n"
                        + "addr add " + net.hostAddress() + "/30 dev " + net.hostInterface() + "\n"
                        + "link set " + net.hostInterface() + " up\n",
                List.of("ip", "-batch", "-"));
        StringBuilder inside = new StringBuilder()
                .append("addr add ")
                .append(net.sandboxAddress())
                .append("/30 dev eth0\n")
                .append("link set eth0 up\n")
                .append("link set lo up\n");
        if (defaultRoute) {
            inside.append("route add default via ").append(net.hostAddress()).append('\n');
        }
        HostCommand.run(inside.toString(), List.of("ip", "-n", net.netns(), "-batch", "-"));
    }

    /**
     * Gives the inside end its address (and an open sandbox its default route) again. runsc's netstack
     * takes the address off the interface when it takes the interface over (the host kernel must not
     * answer for it), and a restore finds no interface to take without it: the sandbox came back with
     * loopback alone. Idempotent.
     */
    static void readdress(SandboxNetwork net, boolean defaultRoute) {
        StringBuilder inside = new StringBuilder()
                .append("addr replace ")
                .append(net.sandboxAddress())
                .append("/30 dev eth0\n")
                .append("link set eth0 up\n");
        if (defaultRoute) {
            inside.append("route replace default via ")
                    .append(net.hostAddress())
                    .append('\n');
        }
        HostCommand.run(inside.toString(), List.of("ip", "-n", net.netns(), "-batch", "-"));
    }

    /** Removes both; quiet when either is already gone. */
    static void remove(String netns, String hostInterface) {
        if (hostInterface != null) {
            HostCommand.tryRun("ip", "link", "del", hostInterface);
        }
        if (netns != null) {
            HostCommand.tryRun("ip", "netns", "del", netns);
        }
    }

    /** Network namespaces whose name starts with the prefix (this node's). */
    static List<String> namespaces(String prefix) {
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(NETNS_DIR)) {
            try (var files = Files.list(NETNS_DIR)) {
                files.map(f -> f.getFileName().toString())
                        .filter(n -> n.startsWith(prefix))
                        .forEach(names::add);
            } catch (IOException e) {
                throw new NetworkSetupException("cannot list " + NETNS_DIR + ": " + e.getMessage());
            }
        }
        return names;
    }

    /** Host interfaces whose name starts with the prefix (this node's veth ends). */
    static List<String> interfaces(String prefix) {
        List<String> names = new ArrayList<>();
        for (String line : HostCommand.run("ip", "-o", "link", "show").split("\n")) {
            // "12: cnab12h0@if2: <BROADCAST,..."
            String[] parts = line.split(":\\s+", 3);
            if (parts.length >= 2) {
                String name = parts[1].split("@")[0];
                if (name.startsWith(prefix)) {
                    names.add(name);
                }
            }
        }
        return names;
    }
}
