package dev.crownest.sandbox.template;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.api.TemplateView;
import dev.crownest.contracts.node.NodeTemplate;
import dev.crownest.sandbox.lifecycle.TemplateCatalog;
import dev.crownest.sandbox.lifecycle.TemplateResolution;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The templates a tenant can name: the platform's ({@link TemplateCatalog}, their state as the nodes
 * report it) and its own custom ones (the read model). Never another tenant's: a custom template is
 * only ever looked up within the caller's tenant.
 */
@Component
class TemplateDirectory implements TemplateResolution {
    static final String PLATFORM = "platform";
    private static final String ID_PREFIX = "tpl-";

    private final TemplateCatalog catalog;
    private final NodeTemplateStates nodes;
    private final TemplateViews views;

    TemplateDirectory(TemplateCatalog catalog, NodeTemplateStates nodes, TemplateViews views) {
        this.catalog = catalog;
        this.nodes = nodes;
        this.views = views;
    }

    List<TemplateView> list(String tenant) {
        List<TemplateView> all = new ArrayList<>();
        catalog.templates().forEach(name -> all.add(platform(name)));
        all.addAll(views.list(tenant));
        return all;
    }

    Optional<TemplateView> find(String tenant, String name) {
        if (catalog.platform(name)) {
            return Optional.of(platform(name));
        }
        return views.find(tenant, name).map(TemplateViews.Row::view);
    }

    @Override
    public String nodeTemplate(String tenant, String template) {
        if (catalog.platform(template)) {
            var state = nodes.state(template);
            if (state.isPresent() && !state.get().ready()) {
                throw notReady(template, state.get().status());
            }
            return template;
        }
        var custom = template == null ? Optional.<TemplateViews.Row>empty() : views.find(tenant, template);
        if (custom.isEmpty()) {
            if (template != null && template.startsWith(ID_PREFIX)) {
                // a custom template is named by its tenant's name for it, never by its id (which another tenant could
                // guess)
                throw ApiException.badRequest("unknown_template", "unknown template '" + template + "'");
            }
            return template; // unknown: the create's rules answer it
        }
        TemplateView view = custom.get().view();
        if (!NodeTemplate.READY.equals(view.status())) {
            throw notReady(template, view.status());
        }
        return view.id();
    }

    /** A platform template as the nodes report it; ready when no node reported lately (nothing says otherwise). */
    private TemplateView platform(String name) {
        var state = nodes.state(name);
        String status = state.map(NodeTemplate::status).orElse(NodeTemplate.READY);
        String error =
                state.isPresent() && state.get().status().equals(NodeTemplate.FAILED) ? "not built on any node" : null;
        return new TemplateView(
                name,
                name,
                status,
                state.map(NodeTemplate::sizeBytes).orElse(0L),
                PLATFORM,
                null,
                null,
                state.map(NodeTemplate::builtAt).orElse(null),
                error);
    }

    private static ApiException notReady(String template, String status) {
        return ApiException.conflict(
                "template_not_ready",
                "template " + template + " is " + status + "; GET /v1/templates/" + template
                        + " says when it is ready");
    }
}
