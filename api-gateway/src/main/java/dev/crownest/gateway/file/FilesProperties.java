package dev.crownest.gateway.file;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code crownest.gateway.files.*}: limits of the public files API (docs/services.md).
 *
 * @param maxUploadSize largest file content accepted by a write (413 {@code payload_too_large} above); the
 *                      content streams through, so this bounds the sandbox's disk use, not the gateway's memory
 * @param defaultUrlTtl how long a signed URL works when the request names no {@code expiresInSeconds}
 * @param maxUrlTtl     the longest {@code expiresInSeconds} accepted
 */
@ConfigurationProperties("crownest.gateway.files")
public record FilesProperties(
        @DefaultValue("1GB") DataSize maxUploadSize,
        @DefaultValue("5m") Duration defaultUrlTtl,
        @DefaultValue("1h") Duration maxUrlTtl) {}
