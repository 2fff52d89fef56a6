package dev.crownest.node.template;

import dev.crownest.contracts.node.NodeTemplate;
import dev.crownest.contracts.node.TemplateBuildOutcome;
import dev.crownest.nodeclient.protocol.NodePaths;
import dev.crownest.nodeclient.protocol.TemplateBuild;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The node's templates: what it holds, custom builds (answered when done), deletes. */
@RestController
class NodeTemplateController {
    private final NodeTemplates templates;
    private final TemplateBuilder builder;

    NodeTemplateController(NodeTemplates templates, TemplateBuilder builder) {
        this.templates = templates;
        this.builder = builder;
    }

    @GetMapping(NodePaths.TEMPLATES)
    List<NodeTemplate> list() {
        return templates.list();
    }

    @PostMapping(NodePaths.TEMPLATE_BUILD)
    TemplateBuildOutcome build(@PathVariable String name, @RequestBody TemplateBuild build) {
        return builder.build(name, build);
    }

    @DeleteMapping(NodePaths.TEMPLATE)
    Map<String, Object> delete(@PathVariable String name) throws IOException {
        builder.delete(name);
        return Map.of("name", name, "deleted", true);
    }
}
