package dev.crownest.node.network;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Network modes of this node ({@code crownest.node.network.*}).
 *
 * @param subnet              private range split into one /30 per networked sandbox (host side .1, sandbox .2);
 *                            two node agents on one host need distinct subnets
 * @param proxyPort           port of the egress proxy on each restricted sandbox's host-side address
 * @param defaultAllowedHosts hosts every restricted sandbox may reach (the package registries), plus its own allowedHosts
 * @param tag                 names this node's netns, veth and nftables table ({@code cn<tag>…}, {@code crownest_<tag>});
 *                            default derived from the state dir, so node agents with other state dirs are never touched
 * @param proxyHostsOverride  TESTS ONLY: allowlisted name → {@code ip:port} the proxy connects to instead of resolving
 *                            the name, skipping the denied-range check. A node property, never reachable from a tenant
 * @param connectTimeout      how long the proxy waits for an upstream connection
 * @param openNameservers     the /etc/resolv.conf of open sandboxes: public resolvers, since the host's own
 *                            (often local or private) is out of a sandbox's reach
 */
@ConfigurationProperties("crownest.node.network")
public record NetworkProperties(
        String subnet,
        Integer proxyPort,
        List<String> defaultAllowedHosts,
        String tag,
        Map<String, String> proxyHostsOverride,
        Duration connectTimeout,
        List<String> openNameservers) {
    public NetworkProperties {
        subnet = subnet == null ? "10.200.0.0/16" : subnet;
        proxyPort = proxyPort == null ? 3128 : proxyPort;
        defaultAllowedHosts = defaultAllowedHosts == null
                ? List.of("deb.debian.org", "pypi.org", "files.pythonhosted.org", "registry.npmjs.org")
                : List.copyOf(defaultAllowedHosts);
        proxyHostsOverride = proxyHostsOverride == null ? Map.of() : Map.copyOf(proxyHostsOverride);
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(10) : connectTimeout;
        openNameservers = openNameservers == null ? List.of("1.1.1.1", "8.8.8.8") : List.copyOf(openNameservers);
    }
}
