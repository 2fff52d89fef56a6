package dev.crownest.sandbox.artifact;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code crownest.artifacts.*}: {@code dir} the local store's root (env {@code CROWNEST_ARTIFACTS_DIR}),
 * {@code max-bytes} the largest file a command may collect (larger: a collect error, the command
 * still finishes).
 */
@ConfigurationProperties("crownest.artifacts")
public record ArtifactProperties(
        @DefaultValue("/var/lib/crownest/artifacts") Path dir,
        @DefaultValue("100MB") DataSize maxBytes) {}
