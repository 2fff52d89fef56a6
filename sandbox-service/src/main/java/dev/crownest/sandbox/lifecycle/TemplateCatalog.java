package dev.crownest.sandbox.lifecycle;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The templates nodes can start ({@code crownest.templates}, env {@code CROWNEST_TEMPLATES},
 * comma-separated). Injected into the create handler so unknown templates never reach an event.
 */
@ConfigurationProperties(prefix = "crownest")
public record TemplateCatalog(
        @DefaultValue({"base", "python", "node"}) List<String> templates) {

    public boolean offers(String template) {
        return templates.contains(template);
    }
}
