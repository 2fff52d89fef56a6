package dev.crownest.node.runsc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crownest.node.agent.ProcessAgents;
import dev.crownest.node.limits.SandboxLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes the OCI runtime spec of one sandbox. The template's root filesystem is shared by every
 * sandbox and never written: the root is writable inside ({@code root.readonly: false}) through
 * runsc's root overlay, whose upper layer lives on the sandbox's own disk ({@link Runsc}). A template
 * built with an EROFS image of its tree ({@code rootfs.erofs} beside {@code rootfs}) is served from
 * that image inside the sentry, without the gofer: faster, and lgetxattr on a symlink answers as
 * Linux does (through the gofer it is EBADF, so {@code ls -l} prints "Bad file descriptor"). /workspace
 * is a host directory of this sandbox alone, so files survive between commands.
 */
public final class OciBundle {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Root inside may own, chmod and switch users on its own files (apt and dpkg need CHOWN,
     * DAC_OVERRIDE, FOWNER, SETUID, SETGID and FSETID); MKNOD, NET_RAW and SYS_ADMIN stay out.
     */
    static final String[] CAPABILITIES = {
        "CAP_AUDIT_WRITE",
        "CAP_KILL",
        "CAP_NET_BIND_SERVICE",
        "CAP_CHOWN",
        "CAP_DAC_OVERRIDE",
        "CAP_FOWNER",
        "CAP_SETUID",
        "CAP_SETGID",
        "CAP_FSETID"
    };

    /** A template's EROFS image, beside its {@code rootfs} tree (infra/templates/build-template.sh). */
    public static final String EROFS_IMAGE = "rootfs.erofs";

    private static final String ROOTFS_ANNOTATION = "dev.gvisor.spec.rootfs.";

    private OciBundle() {}

    /**
     * @param limits           cpu, memory and process limits (and the cgroup they live in)
     * @param networkNamespace the namespace runsc's netstack takes its interface from (network restricted
     *                         or open); null for a fresh empty one (network off)
     * @param resolvConf       mounted read-only at /etc/resolv.conf; null keeps the template's
     * @param agentDir         the process agent's directory, mounted read-only at {@link ProcessAgents#MOUNT_POINT}
     * @param rootOverlay      the directory of the root overlay's filestore (as runsc's --overlay2 flag)
     */
    public static void write(
            Path bundleDir,
            Path rootfs,
            Path workspace,
            String hostname,
            Map<String, String> env,
            SandboxLimits limits,
            Path networkNamespace,
            Path resolvConf,
            Path agentDir,
            Path rootOverlay)
            throws IOException {
        ObjectNode spec = JSON.createObjectNode().put("ociVersion", "1.0.0");
        ObjectNode process = spec.putObject("process")
                .put("terminal", false)
                .put("cwd", "/workspace")
                .put("noNewPrivileges", true);
        process.putObject("user").put("uid", 0).put("gid", 0);
        ArrayNode args = process.putArray("args");
        ProcessAgents.init(rootfs).forEach(args::add);
        ArrayNode envs = process.putArray("env")
                .add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
                .add("HOME=/root");
        env.forEach((k, v) -> envs.add(k + "=" + v));
        ObjectNode caps = process.putObject("capabilities");
        for (String set : new String[] {"bounding", "effective", "inheritable", "permitted"}) {
            ArrayNode list = caps.putArray(set);
            for (String cap : CAPABILITIES) {
                list.add(cap);
            }
        }
        process.putArray("rlimits")
                .addObject()
                .put("type", "RLIMIT_NOFILE")
                .put("hard", 4096)
                .put("soft", 4096);
        spec.putObject("root").put("path", rootfs.toString()).put("readonly", false);
        spec.put("hostname", hostname);
        Path erofs = rootfs.resolveSibling(EROFS_IMAGE);
        if (Files.isRegularFile(erofs)) {
            // the annotation's overlay replaces the --overlay2 flag for the root: the same directory
            spec.putObject("annotations")
                    .put(ROOTFS_ANNOTATION + "source", erofs.toString())
                    .put(ROOTFS_ANNOTATION + "type", "erofs")
                    .put(ROOTFS_ANNOTATION + "overlay", "dir=" + rootOverlay);
        }
        ArrayNode mounts = spec.putArray("mounts");
        mounts.addObject().put("destination", "/proc").put("type", "proc").put("source", "proc");
        mounts.addObject().put("destination", "/dev").put("type", "tmpfs").put("source", "tmpfs");
        mounts.addObject()
                .put("destination", "/sys")
                .put("type", "sysfs")
                .put("source", "sysfs")
                .putArray("options")
                .add("nosuid")
                .add("noexec")
                .add("nodev")
                .add("ro");
        mounts.addObject()
                .put("destination", "/workspace")
                .put("type", "bind")
                .put("source", workspace.toString())
                .putArray("options")
                .add("rbind")
                .add("rw");
        mounts.addObject()
                .put("destination", ProcessAgents.MOUNT_POINT)
                .put("type", "bind")
                .put("source", agentDir.toString())
                .putArray("options")
                .add("rbind")
                .add("ro");
        if (resolvConf != null) {
            mounts.addObject()
                    .put("destination", "/etc/resolv.conf")
                    .put("type", "bind")
                    .put("source", resolvConf.toString())
                    .putArray("options")
                    .add("rbind")
                    .add("ro");
        }
        ArrayNode namespaces = spec.putObject("linux").putArray("namespaces");
        for (String ns : new String[] {"pid", "network", "ipc", "uts", "mount"}) {
            ObjectNode namespace = namespaces.addObject().put("type", ns);
            if (ns.equals("network") && networkNamespace != null) {
                namespace.put("path", networkNamespace.toString());
            }
        }
        limits.applyTo(spec, hostname);
        JSON.writerWithDefaultPrettyPrinter()
                .writeValue(bundleDir.resolve("config.json").toFile(), spec);
    }
}
