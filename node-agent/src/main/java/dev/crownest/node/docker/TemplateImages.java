package dev.crownest.node.docker;

import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.transport.DockerHttpClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The templates as Docker images. No image is ever pulled: each template's root filesystem is
 * imported once ({@code docker import} of a tar stream), tagged
 * {@code crownest/<template>:<hash of its template.json>}, so a rebuilt template gets a new image.
 */
@Component
@ConditionalOnProperty(name = "crownest.node.runtime", havingValue = "docker")
class TemplateImages {
    private static final Logger log = LoggerFactory.getLogger(TemplateImages.class);

    private final DockerDaemon daemon;
    private final Set<String> images = ConcurrentHashMap.newKeySet();
    private final Map<String, Object> importLocks = new ConcurrentHashMap<>();

    TemplateImages(DockerDaemon daemon) {
        this.daemon = daemon;
    }

    /** The template's image, imported from its root filesystem the first time it is asked for. */
    String image(String template, Path rootfs) {
        String tag = "crownest/" + template + ":" + version(rootfs);
        if (images.contains(tag)) {
            return tag;
        }
        synchronized (importLocks.computeIfAbsent(template, t -> new Object())) {
            try {
                daemon.client().inspectImageCmd(tag).exec();
            } catch (NotFoundException absent) {
                importRootfs(rootfs, tag);
            }
            images.add(tag);
            return tag;
        }
    }

    private void importRootfs(Path rootfs, String tag) {
        long t0 = System.nanoTime();
        try {
            Process tar = new ProcessBuilder("tar", "--numeric-owner", "-C", rootfs.toString(), "-c", ".")
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String[] parts = tag.split(":");
            // The import API itself: docker-java's createImageCmd cut the tar stream short here ("unexpected EOF").
            try (var body = tar.getInputStream()) {
                daemon.call(
                        DockerHttpClient.Request.builder()
                                .method(DockerHttpClient.Request.Method.POST)
                                .path("/images/create?fromSrc=-&repo=" + parts[0] + "&tag=" + parts[1])
                                .putHeader("Content-Type", "application/x-tar")
                                .body(body),
                        "import");
            }
            if (!tar.waitFor(60, TimeUnit.SECONDS) || tar.exitValue() != 0) {
                throw new IllegalStateException("tar of " + rootfs + " failed");
            }
            daemon.client().inspectImageCmd(tag).exec();
            log.info("imported template image {} from {} in {} ms", tag, rootfs, (System.nanoTime() - t0) / 1_000_000);
        } catch (IOException e) {
            throw new IllegalStateException("cannot import " + rootfs + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted importing " + rootfs);
        }
    }

    /** The template build's record (it changes with every build), else the root filesystem's mtime. */
    private static String version(Path rootfs) {
        try {
            Path record = rootfs.resolveSibling("template.json");
            byte[] what = Files.exists(record)
                    ? Files.readAllBytes(record)
                    : Long.toString(Files.getLastModifiedTime(rootfs).toMillis())
                            .getBytes(StandardCharsets.UTF_8);
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(what))
                    .substring(0, 12);
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot read the template at " + rootfs, e);
        }
    }
}
