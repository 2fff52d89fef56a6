package dev.crownest.node.docker;

import dev.crownest.contracts.api.ApiException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Pause and resume with Docker: {@code docker checkpoint create} (runsc checkpoint under containerd)
 * and {@code docker start --checkpoint}, through Docker's checkpoint API (docker-java does not wrap
 * it); only with {@code crownest.node.docker.checkpoints=true}, see {@link DockerProperties#checkpoints()}.
 */
@Component
@ConditionalOnProperty(name = "crownest.node.runtime", havingValue = "docker")
class DockerCheckpoints {
    private static final String CHECKPOINT = "paused";

    private final DockerDaemon daemon;
    private final DockerProperties properties;
    private final Set<String> checkpointing = ConcurrentHashMap.newKeySet();

    DockerCheckpoints(DockerDaemon daemon, DockerProperties properties) {
        this.daemon = daemon;
        this.properties = properties;
    }

    /**
     * {@code docker checkpoint create} (it leaves the container stopped, with the image in Docker's own
     * directory: Docker 20.10 cannot start from a checkpoint elsewhere). {@code imageDir} is made as the
     * node's mark that the sandbox is paused and names the checkpoint.
     */
    void checkpoint(String containerId, Path imageDir) {
        if (!properties.checkpoints()) {
            throw ApiException.conflict(
                    "pause_unsupported",
                    "pause is not available on this node's docker runtime"
                            + " (docker checkpoint of a restored runsc container leaves containerd's task behind)");
        }
        try {
            Files.createDirectories(imageDir);
            Files.writeString(imageDir.resolve("docker-checkpoint"), containerId + " " + CHECKPOINT + "\n");
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + imageDir, e);
        }
        checkpointing.add(containerId);
        try {
            deleteCheckpoint(containerId); // one left by an earlier failed resume would block the name
            daemon.call(
                    "POST",
                    "/containers/" + containerId + "/checkpoints",
                    "{\"CheckpointID\":\"" + CHECKPOINT + "\",\"Exit\":true}",
                    "checkpoint");
            // Docker answers before it has cleaned up after the exit; a start in the meantime fails.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline
                    && Boolean.TRUE.equals(daemon.client()
                            .inspectContainerCmd(containerId)
                            .exec()
                            .getState()
                            .getRunning())) {
                sleep(20);
            }
        } finally {
            checkpointing.remove(containerId);
        }
    }

    /** Whether the container is being checkpointed now (it exits on purpose then). */
    boolean checkpointing(String containerId) {
        return checkpointing.contains(containerId);
    }

    void restore(String containerId) {
        // Right after a checkpoint, containerd may still hold the image's content (its lease not yet
        // collected) or the exited task's container: Docker 20.10 then fails the start with "already
        // exists" or "id already in use", and a moment later it works.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            try {
                daemon.call("POST", "/containers/" + containerId + "/start?checkpoint=" + CHECKPOINT, null, "restore");
                break;
            } catch (IllegalStateException e) {
                String why = String.valueOf(e.getMessage());
                if (!(why.contains("already exists") || why.contains("already in use"))
                        || System.nanoTime() > deadline) {
                    throw e;
                }
                sleep(250);
            }
        }
        deleteCheckpoint(containerId);
    }

    private void deleteCheckpoint(String containerId) {
        daemon.delete("/containers/" + containerId + "/checkpoints/" + CHECKPOINT);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }
}
