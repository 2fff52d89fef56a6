package dev.crownest.sandbox.lifecycle;

import java.util.List;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The templates nodes can start ({@code crownest.templates}, env {@code CROWNEST_TEMPLATES},
 * comma-separated). Injected into the create handler so unknown templates never reach an event.
 */
@ConfigurationProperties(prefix = "crownest")
public record TemplateCatalog(
        @DefaultValue({"base", "python", "node"}) List<String> templates) {

    /** A custom template's id, as {@link TemplateResolution} makes it: {@code tpl-} and 20 of [a-z0-9]. */
    private static final Pattern CUSTOM = Pattern.compile("tpl-[a-z0-9]{20}");

    /** A platform template, or a custom one's id (resolved and checked ready before the command). */
    public boolean offers(String template) {
        return templates.contains(template)
                || template != null && CUSTOM.matcher(template).matches();
    }

    public boolean platform(String template) {
        return templates.contains(template);
    }
}
