package dev.crownest.node;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The node's configuration ({@code crownest.node.*}).
 *
 * @param id           this node's id in events and placement
 * @param stateDir     runsc state, bundles and workspaces of this node's sandboxes
 * @param templatesDir template root filesystems, one {@code NAME/rootfs} each (built by infra/templates)
 * @param runscPath    the runsc binary (0.0~20240729 or newer: systrap, coreutils' statx, --overlay2)
 * @param platform     gVisor platform: systrap (about twice as fast as ptrace on system calls,
 *                     docs/benchmarks.md), or ptrace; never kvm (it hangs inside a VM without nested
 *                     virtualisation)
 */
@ConfigurationProperties("crownest.node")
public record NodeProperties(String id, Path stateDir, Path templatesDir, String runscPath, String platform) {
    public NodeProperties {
        id = id == null ? "node-1" : id;
        stateDir = stateDir == null ? Path.of("/var/lib/crownest/node") : stateDir;
        templatesDir = templatesDir == null
                ? Path.of(System.getProperty("user.home"), ".cache/crownest/templates")
                : templatesDir;
        runscPath = runscPath == null ? "runsc" : runscPath;
        platform = platform == null ? "systrap" : platform;
    }
}
