package dev.crownest.sandbox.template;

import dev.crownest.contracts.node.NodeTemplate;
import dev.crownest.contracts.node.TemplateBuildOutcome;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Settles custom templates whose build report was lost. The worker sends each build to the node once
 * and reports what it answers; a worker restarted during a build never reports it, and a node restarted
 * during one has dropped it. So a template still {@code building} after {@code grace} is checked against
 * what the nodes' heartbeats say of it ({@link NodeTemplateStates}): still building there, left alone;
 * ready there (the report was lost, not the image), recorded built; on no node, recorded failed with a
 * reason that says so. Without fresh heartbeats nothing is decided.
 */
@Component
class LostTemplateBuilds {
    private static final Logger log = LoggerFactory.getLogger(LostTemplateBuilds.class);
    static final String LOST =
            "the build was lost: no node is building this template (the execution worker or the node restarted"
                    + " during the build); delete it and create it again";

    private final TemplateViews views;
    private final NodeTemplateStates nodes;
    private final CommandGateway commands;
    private final Clock clock;
    private final Duration grace;

    LostTemplateBuilds(
            TemplateViews views,
            NodeTemplateStates nodes,
            CommandGateway commands,
            Clock clock,
            @Value("${crownest.templates.lost-build-after:PT2M}") Duration grace) {
        this.views = views;
        this.nodes = nodes;
        this.commands = commands;
        this.clock = clock;
        this.grace = grace;
    }

    @Scheduled(fixedDelayString = "${crownest.templates.lost-build-check-ms:10000}")
    void settle() {
        for (String templateId : views.buildingSince(clock.instant().minus(grace))) {
            verdict(nodes.state(templateId)).ifPresent(outcome -> {
                try {
                    commands.sendAndWait(new RecordTemplateBuild(templateId, outcome));
                    log.warn(
                            "template {}: its build report was lost; recorded {}",
                            templateId,
                            outcome.built() ? "built" : "failed");
                } catch (RuntimeException e) {
                    log.warn("could not settle the lost build of template {}: {}", templateId, e.toString());
                }
            });
        }
    }

    /** What to record for a build the nodes say {@code state} of; empty: nothing to record (yet). */
    static Optional<TemplateBuildOutcome> verdict(Optional<NodeTemplate> state) {
        if (state.isEmpty() || NodeTemplate.BUILDING.equals(state.get().status())) {
            return Optional.empty();
        }
        if (state.get().ready()) {
            return Optional.of(new TemplateBuildOutcome(true, state.get().sizeBytes(), 0, null, List.of(), null, null));
        }
        return Optional.of(new TemplateBuildOutcome(false, 0, 0, null, List.of(), null, LOST));
    }
}
