package dev.crownest.node.runsc;

import java.util.List;

/**
 * Works around runsc 2022-12 on newer kernels: {@code runsc start --network=sandbox} refuses with
 * "cannot run with network enabled in root network namespace" because it takes the presence of
 * /proc/sys/net/core/rmem_default as the sign of the root namespace, and since Linux 6.x that file
 * exists in every network namespace. So start runs in a private mount namespace where an empty
 * read-only tmpfs covers /proc/sys/net; nothing else of runsc start reads it, and the sandbox's own
 * network namespace (from the OCI spec) is unaffected. The check it defeats guards nothing here: the
 * node only starts --network=sandbox with a namespace path of its own in the spec. A restore of such a
 * sandbox (runsc restore sets its network up the same way) needs the same wrapper and flags.
 */
final class SandboxNetworkStart {
    private SandboxNetworkStart() {}

    static List<String> wrapper(String network) {
        if (!network.equals("sandbox")) {
            return List.of();
        }
        return List.of(
                "unshare",
                "--mount",
                "--propagation",
                "private",
                "sh",
                "-c",
                "mount -t tmpfs -o size=4k,ro crownest-no-sysnet /proc/sys/net && exec \"$@\"",
                "runsc-start");
    }
}
