package dev.crownest.node.runtime;

import java.util.Collection;
import java.util.Set;

/**
 * One way of seeing that a sandbox's container died without being asked to stop (the host's OOM
 * killer ends a sandbox past its memory limit whole). The node's watch asks every such probe once a
 * second about its running sandboxes and stops the ones a probe names twice in a row; the probes know
 * containers only, never the node's sandboxes.
 */
public interface ContainerDeaths {

    /**
     * Of {@code containerIds} (running, not paused), the ones that look dead now. Throws when the
     * probe cannot tell this time (nothing is decided then).
     */
    Set<String> deadAmong(Collection<String> containerIds);

    /** Whether the host's OOM killer ended the container; read before what it is read from goes away. */
    boolean outOfMemory(String containerId);
}
