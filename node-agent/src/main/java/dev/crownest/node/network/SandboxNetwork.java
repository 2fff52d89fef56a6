package dev.crownest.node.network;

import dev.crownest.contracts.event.NetworkMode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One sandbox's network as this node built it; persisted under the state dir so that a restarted
 * node agent keeps the network of the sandboxes it adopts. In mode off there is nothing on the host.
 *
 * @param netns         network namespace (under /run/netns) whose path the OCI spec names; null in off
 * @param hostInterface the host end of the veth pair
 * @param hostAddress   host end's address: the sandbox's gateway in open, the proxy's address in restricted
 * @param allowedHosts  the proxy's allowlist (restricted only): the node's defaults and the sandbox's own
 * @param resolvConf    file mounted read-only at /etc/resolv.conf (open only; null keeps the template's)
 */
public record SandboxNetwork(
        String sandboxId,
        NetworkMode mode,
        int slot,
        String netns,
        String hostInterface,
        String hostAddress,
        String sandboxAddress,
        int proxyPort,
        List<String> allowedHosts,
        String resolvConf) {

    static SandboxNetwork off(String sandboxId) {
        return new SandboxNetwork(sandboxId, NetworkMode.OFF, -1, null, null, null, null, 0, List.of(), null);
    }

    /** The OCI spec's network namespace path; null means a fresh, empty namespace (mode off). */
    public Path namespacePath() {
        return netns == null ? null : Path.of("/run/netns", netns);
    }

    /** The /etc/resolv.conf to mount, or null. */
    public Path resolvConfPath() {
        return resolvConf == null ? null : Path.of(resolvConf);
    }

    /** runsc's --network for create and start: its own netstack on the namespace's interface, or none. */
    public String runscNetwork() {
        return mode == NetworkMode.OFF ? "none" : "sandbox";
    }

    /** Environment the sandbox's processes get so that pip, npm, curl and apt use the proxy. */
    public Map<String, String> env() {
        if (mode != NetworkMode.RESTRICTED) {
            return Map.of();
        }
        String proxy = "http://" + hostAddress + ":" + proxyPort;
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : List.of("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")) {
            env.put(name, proxy);
        }
        env.put("NO_PROXY", "localhost,127.0.0.1");
        env.put("no_proxy", "localhost,127.0.0.1");
        return env;
    }
}
