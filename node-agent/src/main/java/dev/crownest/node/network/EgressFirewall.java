package dev.crownest.node.network;

import java.util.Collection;
import java.util.List;

/**
 * This node's nftables table ({@code inet crownest_<tag>}); nothing outside it is touched. Rules apply
 * only to packets entering from or leaving to this node's veth ends ({@code cn<tag>h*}):
 * <ul>
 *   <li>to the host itself: only a restricted sandbox's own proxy address and port; everything else is
 *   rejected (the node agent, Kafka, PostgreSQL and anything bound to 0.0.0.0 stay out of reach);</li>
 *   <li>forwarded: only from open sandboxes, never to a denied range, IPv4 only, masqueraded;
 *   answers back in only for connections the sandbox opened.</li>
 * </ul>
 */
final class EgressFirewall {
    private final String table;
    private final String interfaces;
    private final int proxyPort;
    private final List<String> denied;
    private boolean ready;

    EgressFirewall(String tag, String interfacePrefix, int proxyPort, List<String> denied) {
        this.table = "crownest_" + tag;
        this.interfaces = interfacePrefix + "*";
        this.proxyPort = proxyPort;
        this.denied = denied;
    }

    String table() {
        return table;
    }

    /** Replaces the table atomically with one holding exactly these sandboxes. */
    synchronized void reset(Collection<SandboxNetwork> kept) {
        StringBuilder script = new StringBuilder()
                .append("table inet ")
                .append(table)
                .append(" {}\n")
                .append("delete table inet ")
                .append(table)
                .append('\n')
                .append("table inet ")
                .append(table)
                .append(" {\n")
                .append("  set proxied { type ifname . ipv4_addr; }\n")
                .append("  set open { type ifname; }\n")
                .append("  set denied { type ipv4_addr; flags interval; auto-merge; elements = { ")
                .append(String.join(", ", denied))
                .append(" } }\n")
                .append("  chain input { type filter hook input priority filter - 10; policy accept;\n")
                .append("    iifname \"")
                .append(interfaces)
                .append("\" iifname . ip daddr @proxied tcp dport ")
                .append(proxyPort)
                .append(" accept\n")
                .append("    iifname \"")
                .append(interfaces)
                .append("\" meta l4proto tcp reject with tcp reset\n")
                .append("    iifname \"")
                .append(interfaces)
                .append("\" reject with icmpx admin-prohibited\n")
                .append("  }\n")
                .append("  chain forward { type filter hook forward priority filter - 10; policy accept;\n")
                .append("    iifname \"")
                .append(interfaces)
                .append("\" iifname @open ip daddr != @denied accept\n")
                .append("    iifname \"")
                .append(interfaces)
                .append("\" meta l4proto tcp reject with tcp reset\n")
                .append("    iifname \"")
                .append(interfaces)
                .append("\" reject with icmpx admin-prohibited\n")
                .append("    oifname \"")
                .append(interfaces)
                .append("\" oifname @open ct state established,related accept\n")
                .append("    oifname \"")
                .append(interfaces)
                .append("\" drop\n")
                .append("  }\n")
                .append("  chain postrouting { type nat hook postrouting priority srcnat + 10; policy accept;\n")
                .append("    iifname \"")
                .append(interfaces)
                .append("\" iifname @open oifname != \"")
                .append(interfaces)
                .append("\" masquerade\n")
                .append("  }\n")
                .append("}\n");
        for (SandboxNetwork net : kept) {
            script.append(element("add", net)).append('\n');
        }
        HostCommand.run(script.toString(), List.of("nft", "-f", "-"));
        ready = true;
    }

    synchronized void admit(SandboxNetwork net) {
        if (!ready) {
            reset(List.of());
        }
        HostCommand.run(element("add", net) + "\n", List.of("nft", "-f", "-"));
    }

    void forget(SandboxNetwork net) {
        try {
            HostCommand.run(element("delete", net) + "\n", List.of("nft", "-f", "-"));
        } catch (NetworkSetupException e) {
            // already gone with the table: the goal state holds
        }
    }

    synchronized void drop() {
        HostCommand.tryRun("nft", "delete", "table", "inet", table);
        ready = false;
    }

    private String element(String verb, SandboxNetwork net) {
        return switch (net.mode()) {
            case RESTRICTED ->
                verb + " element inet " + table + " proxied { \"" + net.hostInterface() + "\" . " + net.hostAddress()
                        + " }";
            case OPEN -> verb + " element inet " + table + " open { \"" + net.hostInterface() + "\" }";
            case OFF -> throw new IllegalArgumentException("mode off has no rules");
        };
    }
}
