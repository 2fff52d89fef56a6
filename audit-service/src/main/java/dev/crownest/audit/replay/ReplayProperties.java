package dev.crownest.audit.replay;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code crownest.audit.replay.*}.
 *
 * @param fetchSize rows per round trip when replay reads the archived stream (default 1000)
 */
@ConfigurationProperties("crownest.audit.replay")
public record ReplayProperties(@DefaultValue("1000") int fetchSize) {}
