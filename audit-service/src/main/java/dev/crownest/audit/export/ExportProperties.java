package dev.crownest.audit.export;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code crownest.audit.export.*}.
 *
 * @param fetchSize rows per round trip of the export's server-side cursor (default 500)
 */
@ConfigurationProperties("crownest.audit.export")
public record ExportProperties(@DefaultValue("500") int fetchSize) {}
