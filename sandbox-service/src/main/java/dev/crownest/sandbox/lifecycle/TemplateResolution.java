package dev.crownest.sandbox.lifecycle;

/**
 * Turns the template a create names into the one its node starts: a platform template as it is, a
 * tenant's custom template into its id. Refuses (409 {@code template_not_ready}) one that is known but
 * not ready; leaves an unknown name to {@link CreateSandboxRules} (400 {@code unknown_template}).
 */
public interface TemplateResolution {
    String nodeTemplate(String tenant, String template);
}
