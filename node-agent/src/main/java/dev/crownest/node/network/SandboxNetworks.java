package dev.crownest.node.network;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.event.NetworkMode;
import dev.crownest.node.NodeProperties;
import dev.crownest.nodeclient.protocol.NodeSandboxSpec;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The network modes of this node's sandboxes (docs/services.md, "Network modes"):
 * <ul>
 *   <li>{@code off}: runsc --network=none, loopback only; nothing on the host;</li>
 *   <li>{@code restricted}: a netns with a veth /30 and no default route; the only reachable address is
 *   the host end, where {@link EgressProxy} listens for this sandbox alone with its allowlist;</li>
 *   <li>{@code open}: the same netns and veth with a default route, forwarded and masqueraded, never to
 *   private, loopback, link-local or metadata ranges nor to the host.</li>
 * </ul>
 * The sandbox runs runsc's own netstack on the namespace's interface (--network=sandbox).
 */
@Service
public class SandboxNetworks {
    private static final Logger log = LoggerFactory.getLogger(SandboxNetworks.class);
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    private final NetworkProperties properties;
    private final Path recordsDir;
    private final String prefix;
    private final AddressPool pool;
    private final EgressFirewall firewall;
    private final EgressProxy proxy;
    private final Map<String, SandboxNetwork> attached = new ConcurrentHashMap<>();

    public SandboxNetworks(NodeProperties node, NetworkProperties properties, DeniedEgress denials) {
        this.properties = properties;
        this.recordsDir = node.stateDir().resolve("network");
        String tag = properties.tag() != null
                ? properties.tag()
                : String.format(
                        "%04x",
                        node.stateDir().toAbsolutePath().normalize().toString().hashCode() & 0xffff);
        if (!tag.matches("[a-z0-9]{1,6}")) {
            throw new IllegalArgumentException("crownest.node.network.tag must be 1 to 6 of [a-z0-9]");
        }
        this.prefix = "cn" + tag;
        this.pool = new AddressPool(properties.subnet());
        DeniedAddresses denied = new DeniedAddresses(pool.cidr());
        this.firewall = new EgressFirewall(tag, prefix + "h", properties.proxyPort(), denied.ipv4Ranges());
        this.proxy = new EgressProxy(
                new Upstreams(denied, lowerCaseKeys(properties.proxyHostsOverride())),
                properties.connectTimeout(),
                denials);
        if (!properties.proxyHostsOverride().isEmpty()) {
            log.warn(
                    "crownest.node.network.proxy-hosts-override is set ({}): a test setting, never for production",
                    properties.proxyHostsOverride().keySet());
        }
    }

    /**
     * Builds the sandbox's network before runsc creates it. Mode off builds nothing. On failure nothing
     * stays behind.
     */
    public SandboxNetwork attach(NodeSandboxSpec spec) {
        NetworkMode mode = spec.network() == null ? NetworkMode.OFF : NetworkMode.fromWire(spec.network());
        if (mode == null) {
            throw ApiException.badRequest("invalid_network", "network must be one of off, restricted, open");
        }
        if (mode == NetworkMode.OFF) {
            return SandboxNetwork.off(spec.sandboxId());
        }
        SandboxNetwork existing = attached.get(spec.sandboxId());
        if (existing != null) {
            return existing;
        }
        long t0 = System.nanoTime();
        SandboxNetwork net;
        synchronized (pool) {
            Set<Integer> taken =
                    attached.values().stream().map(SandboxNetwork::slot).collect(Collectors.toSet());
            int slot = pool.allocate(taken, DeniedAddresses::onHost);
            List<String> hosts = new ArrayList<>(new LinkedHashSet<>(properties.defaultAllowedHosts()));
            if (mode == NetworkMode.RESTRICTED && spec.allowedHosts() != null) {
                spec.allowedHosts().stream().filter(h -> !hosts.contains(h)).forEach(hosts::add);
            }
            net = new SandboxNetwork(
                    spec.sandboxId(),
                    mode,
                    slot,
                    prefix + "-" + spec.sandboxId(),
                    prefix + "h" + slot,
                    pool.hostAddress(slot),
                    pool.sandboxAddress(slot),
                    properties.proxyPort(),
                    mode == NetworkMode.RESTRICTED ? List.copyOf(hosts) : List.of(),
                    mode == NetworkMode.OPEN ? resolvConf(spec.sandboxId()).toString() : null);
            attached.put(spec.sandboxId(), net);
        }
        try {
            VethPair.create(net, mode == NetworkMode.OPEN);
            if (mode == NetworkMode.OPEN) {
                enableForwarding();
            }
            firewall.admit(net);
            if (mode == NetworkMode.RESTRICTED) {
                proxy.open(net);
            }
            Files.createDirectories(recordsDir);
            if (net.resolvConf() != null) {
                Files.writeString(
                        resolvConf(net.sandboxId()),
                        properties.openNameservers().stream()
                                .map(ns -> "nameserver " + ns + "\n")
                                .collect(Collectors.joining()));
            }
            JSON.writeValue(record(net.sandboxId()).toFile(), net);
            log.info(
                    "network {} for sandbox {}: {} ↔ {} in {} ms",
                    mode.wire(),
                    net.sandboxId(),
                    net.hostAddress(),
                    net.sandboxAddress(),
                    (System.nanoTime() - t0) / 1_000_000);
            return net;
        } catch (IOException | RuntimeException e) {
            detach(spec.sandboxId());
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new NetworkSetupException("cannot record the sandbox's network: " + e.getMessage());
        }
    }

    /**
     * The sandbox's network, ready for a restore of its checkpoint: the one it had (its namespace,
     * address, proxy and rules stay while it is paused), its interface addressed again for runsc to
     * take over (see {@link VethPair#readdress}).
     */
    public SandboxNetwork forRestore(NodeSandboxSpec spec) {
        SandboxNetwork net = attach(spec);
        if (net.mode() != NetworkMode.OFF) {
            VethPair.readdress(net, net.mode() == NetworkMode.OPEN);
        }
        return net;
    }

    /** Removes the sandbox's proxy listener, rules, veth and netns; quiet when there are none. */
    public void detach(String sandboxId) {
        SandboxNetwork net = attached.remove(sandboxId);
        if (net == null) {
            net = read(record(sandboxId));
        }
        if (net != null && net.mode() != NetworkMode.OFF) {
            proxy.close(sandboxId);
            firewall.forget(net);
            VethPair.remove(net.netns(), net.hostInterface());
        }
        try {
            Files.deleteIfExists(resolvConf(sandboxId));
            Files.deleteIfExists(record(sandboxId));
        } catch (IOException e) {
            log.warn("could not remove the network record of {}: {}", sandboxId, e.getMessage());
        }
    }

    /**
     * After a restart: keep the networks of the adopted sandboxes (rules rebuilt, proxies listening again),
     * remove every other netns, veth and record of this node.
     */
    public void reconcile(Collection<String> adoptedSandboxIds) {
        Set<String> adopted = new HashSet<>(adoptedSandboxIds);
        List<SandboxNetwork> kept = new ArrayList<>();
        if (Files.isDirectory(recordsDir)) {
            try (var files = Files.list(recordsDir)) {
                for (Path file : files.toList()) {
                    String name = file.getFileName().toString();
                    if (!name.endsWith(".json")) {
                        continue; // a resolv.conf: goes with its record
                    }
                    SandboxNetwork net = read(file);
                    if (net != null && adopted.contains(net.sandboxId())) {
                        kept.add(net);
                    } else {
                        if (net != null) {
                            VethPair.remove(net.netns(), net.hostInterface());
                        }
                        Files.deleteIfExists(file);
                        Files.deleteIfExists(resolvConf(name.substring(0, name.length() - ".json".length())));
                    }
                }
            } catch (IOException e) {
                throw new NetworkSetupException("cannot read " + recordsDir + ": " + e.getMessage());
            }
        }
        if (!HostCommand.available("ip", "-V") || !HostCommand.available("nft", "--version")) {
            log.warn("ip or nft missing: network modes restricted and open are unavailable on this node");
            return;
        }
        Set<String> keptNetns = kept.stream().map(SandboxNetwork::netns).collect(Collectors.toSet());
        Set<String> keptInterfaces =
                kept.stream().map(SandboxNetwork::hostInterface).collect(Collectors.toSet());
        int removed = 0;
        for (String netns : VethPair.namespaces(prefix + "-")) {
            if (!keptNetns.contains(netns)) {
                VethPair.remove(netns, null);
                removed++;
            }
        }
        for (String hostInterface : VethPair.interfaces(prefix + "h")) {
            if (!keptInterfaces.contains(hostInterface)) {
                VethPair.remove(null, hostInterface);
                removed++;
            }
        }
        if (kept.isEmpty()) {
            firewall.drop(); // built again on the first restricted or open sandbox; an off-only node has none
        } else {
            firewall.reset(kept);
        }
        for (SandboxNetwork net : kept) {
            attached.put(net.sandboxId(), net);
            if (net.mode() == NetworkMode.RESTRICTED) {
                proxy.open(net);
            }
        }
        log.info("reconciled networks: {} kept, {} orphaned netns or veth removed", kept.size(), removed);
    }

    /** The node agent stops; sandboxes may be adopted by the next one, so only the listeners go. */
    @PreDestroy
    void closeListeners() {
        proxy.closeAll();
    }

    /** This node's nftables table, for tests and operators. */
    public String firewallTable() {
        return firewall.table();
    }

    /** Prefix of this node's netns ({@code <prefix>-<sandboxId>}) and host veth ends ({@code <prefix>h<slot>}). */
    public String namePrefix() {
        return prefix;
    }

    public Optional<SandboxNetwork> find(String sandboxId) {
        return Optional.ofNullable(attached.get(sandboxId));
    }

    /** Open sandboxes are routed by the host: as Docker does, IPv4 forwarding goes on (and stays on). */
    private static void enableForwarding() throws IOException {
        Path forward = Path.of("/proc/sys/net/ipv4/ip_forward");
        if (!Files.readString(forward).strip().equals("1")) {
            Files.writeString(forward, "1");
            log.info("enabled IPv4 forwarding for open sandboxes");
        }
    }

    private Path resolvConf(String sandboxId) {
        return recordsDir.resolve(sandboxId + ".resolv.conf");
    }

    private Path record(String sandboxId) {
        return recordsDir.resolve(sandboxId + ".json");
    }

    private static SandboxNetwork read(Path file) {
        if (!Files.exists(file)) {
            return null;
        }
        try {
            return JSON.readValue(file.toFile(), SandboxNetwork.class);
        } catch (IOException e) {
            log.warn("unreadable network record {}: {}", file, e.getMessage());
            return null;
        }
    }

    private static Map<String, String> lowerCaseKeys(Map<String, String> map) {
        return map.entrySet().stream()
                .collect(Collectors.toMap(e -> e.getKey().toLowerCase(Locale.ROOT), Map.Entry::getValue));
    }
}
