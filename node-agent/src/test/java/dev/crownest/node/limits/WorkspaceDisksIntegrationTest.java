package dev.crownest.node.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.crownest.node.NodeProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ready-disk pool with real ext4 images and loop mounts (root only, as the node agent): a create
 * takes a mounted disk by renaming it into place, a fork of the default size gets the source's files
 * copied into one, a fork of another size a copy of the image, and the pool fills again.
 */
class WorkspaceDisksIntegrationTest {
    private static final int DEFAULT_MB = 64;

    @TempDir
    Path state;

    private final List<Path> attached = new ArrayList<>();
    private WorkspaceDisks disks;

    @AfterEach
    void detachAll() {
        attached.forEach(disks::detach);
        try (var entries = Files.list(state.resolve("workspace-pool"))) {
            entries.forEach(disks::detach);
        } catch (IOException ignored) {
            // no pool made
        }
    }

    @Test
    void createsAndForksTakeReadyDisksAndForksGetTheSourcesFiles() throws Exception {
        disks = new WorkspaceDisks(
                new LimitProperties(0, 0, DEFAULT_MB, 0, null, true, 1),
                new NodeProperties(null, state, null, null, null));
        disks.fillPool();
        awaitReadyDisks(1);

        Path source = state.resolve("sandboxes/source");
        WorkspaceDisks.SandboxDisk disk = attach(source, () -> disks.attach(source, DEFAULT_MB));
        assertThat(WorkspaceDisks.isMounted(source.resolve("disk"))).isTrue();
        assertThat(WorkspaceDisks.isMounted(disk.workspace())).isTrue();
        Files.writeString(disk.workspace().resolve("kept"), "from the source");
        awaitReadyDisks(1);

        Path fork = state.resolve("sandboxes/fork");
        WorkspaceDisks.SandboxDisk forked = attach(fork, () -> disks.attachCopy(fork, source, DEFAULT_MB));
        assertThat(Files.readString(forked.workspace().resolve("kept"))).isEqualTo("from the source");
        // its own file system: a write in the fork is not the source's
        Files.writeString(forked.workspace().resolve("mine"), "fork");
        assertThat(disk.workspace().resolve("mine")).doesNotExist();

        // another size than the pool's: the source's image is copied and mounted
        Path bigger = state.resolve("sandboxes/bigger");
        WorkspaceDisks.SandboxDisk copied = attach(bigger, () -> disks.attachCopy(bigger, source, DEFAULT_MB * 2));
        assertThat(Files.readString(copied.workspace().resolve("kept"))).isEqualTo("from the source");
        awaitReadyDisks(1);
    }

    private interface Attach {
        WorkspaceDisks.SandboxDisk run() throws IOException;
    }

    private WorkspaceDisks.SandboxDisk attach(Path dir, Attach attach) throws IOException {
        attached.add(dir);
        return attach.run();
    }

    private void awaitReadyDisks(int count) {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            try (var entries = Files.list(state.resolve("workspace-pool"))) {
                return entries.filter(e -> !e.getFileName().toString().endsWith(".making"))
                                .count()
                        == count;
            }
        });
    }
}
