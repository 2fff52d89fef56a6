package dev.crownest.node.template;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.api.TemplateStepLog;
import dev.crownest.contracts.node.TemplateBuildOutcome;
import dev.crownest.node.NodeProperties;
import dev.crownest.node.agent.ProcessAgents;
import dev.crownest.node.exec.CapturedRuns;
import dev.crownest.node.runsc.OciBundle;
import dev.crownest.node.sandbox.LocalSandbox;
import dev.crownest.node.sandbox.NodeSandboxes;
import dev.crownest.nodeclient.protocol.NodeSandboxSpec;
import dev.crownest.nodeclient.protocol.TemplateBuild;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Builds a custom template: a sandbox of {@code from} (network restricted: package registries through
 * the egress proxy; metered as the tenant's, like any of its sandboxes) whose root is an overlay over
 * {@code from}'s tree, the files written and each step run inside it, then the overlay's changes kept
 * as the new template ({@link TemplateLayers}). Built in a {@code .build-NAME.*} directory renamed at
 * the end, so a template is whole or absent, as with build-template.sh.
 */
@Service
public class TemplateBuilder {
    private static final Logger log = LoggerFactory.getLogger(TemplateBuilder.class);
    /** Custom templates are named by the control plane's template id. */
    static final Pattern CUSTOM_NAME = Pattern.compile("tpl-[a-z0-9]{1,40}");

    /** Starting the sandbox (its network included), writing the files, packing the image. */
    private static final Duration SETUP_MARGIN = Duration.ofMinutes(10);

    private static final String WRITE_FILE = "mkdir -p -- \"$(dirname -- \"$1\")\" && cat > \"$1\"";

    private final NodeTemplates templates;
    private final NodeSandboxes sandboxes;
    private final ProcessAgents agents;
    private final CapturedRuns runs;
    private final TemplateBuildProperties properties;
    private final NodeProperties node;
    private final Clock clock;

    TemplateBuilder(
            NodeTemplates templates,
            NodeSandboxes sandboxes,
            ProcessAgents agents,
            CapturedRuns runs,
            TemplateBuildProperties properties,
            NodeProperties node,
            Clock clock) {
        this.templates = templates;
        this.sandboxes = sandboxes;
        this.agents = agents;
        this.runs = runs;
        this.properties = properties;
        this.node = node;
        this.clock = clock;
    }

    /** Builds {@code name}; a template already built answers as built (the worker may retry). */
    public TemplateBuildOutcome build(String name, TemplateBuild build) {
        if (name == null || !CUSTOM_NAME.matcher(name).matches()) {
            throw ApiException.badRequest(
                    "invalid_template_name", "a custom template's name must match " + CUSTOM_NAME);
        }
        if (!templates.ready(build.from())) {
            throw ApiException.badRequest(
                    "unknown_template", "template '" + build.from() + "' is not ready on this node");
        }
        if (templates.ready(name)) {
            return new TemplateBuildOutcome(true, size(name), 0, node.id(), List.of(), null, null);
        }
        if (!templates.startBuilding(name)) {
            throw ApiException.conflict("template_building", "template " + name + " is being built");
        }
        long t0 = System.nanoTime();
        try {
            return buildIn(name, build, t0);
        } catch (IOException | RuntimeException e) {
            log.warn("template {} failed to build: {}", name, e.toString());
            return failed(List.of(), null, "the build failed on the node: " + e.getMessage(), t0);
        } finally {
            templates.doneBuilding(name);
        }
    }

    private TemplateBuildOutcome buildIn(String name, TemplateBuild build, long t0) throws IOException {
        Path tmp = Files.createTempDirectory(templates.dir(), ".build-" + name + ".");
        Path merged = Files.createDirectories(tmp.resolve("merged"));
        try {
            Path upper = Files.createDirectories(tmp.resolve("upper"));
            TemplateLayers.mount(
                    templates.rootfs(build.from()), upper, Files.createDirectories(tmp.resolve("work")), merged);
            List<TemplateStepLog> steps = new ArrayList<>();
            try {
                runSteps(name, build, merged, steps);
            } finally {
                TemplateLayers.unmount(merged);
            }
            TemplateStepLog last = steps.isEmpty() ? null : steps.getLast();
            if (last != null && (last.exitCode() != 0 || last.timedOut())) {
                String why = last.timedOut()
                        ? "step " + last.step() + " (" + last.command() + ") passed its timeout of "
                                + timeout(build).toSeconds() + " s"
                        : "step " + last.step() + " (" + last.command() + ") exited " + last.exitCode();
                return failed(steps, last.step(), why, t0);
            }
            TemplateLayers.apply(upper, templates.rootfs(build.from()), tmp.resolve("rootfs"));
            TemplateLayers.image(tmp.resolve("rootfs"), tmp.resolve("rootfs.erofs"));
            Files.writeString(
                    tmp.resolve("template.json"),
                    "{\"name\":\"" + name + "\",\"parent\":\"" + build.from() + "\",\"custom\":true,\"builtAt\":\""
                            + clock.instant() + "\"}\n");
            for (String scratch : new String[] {"upper", "work", "merged"}) {
                TemplateLayers.deleteTree(tmp.resolve(scratch));
            }
            Files.move(tmp, templates.dir().resolve(name));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            log.info("built template {} from {} in {} ms", name, build.from(), ms);
            return new TemplateBuildOutcome(true, size(name), ms, node.id(), steps, null, null);
        } finally {
            if (Files.exists(tmp)) {
                TemplateLayers.unmount(merged);
                TemplateLayers.deleteTree(tmp);
            }
        }
    }

    /**
     * The files (step 0, when there are any), then each step until one fails; the build sandbox goes
     * afterwards whatever happened, so its root is still before the changes are read.
     */
    private void runSteps(String name, TemplateBuild build, Path root, List<TemplateStepLog> steps) throws IOException {
        String sandboxId = "tpl_" + name.substring(4);
        var spec = new NodeSandboxSpec(
                sandboxId,
                build.tenantId(),
                null,
                build.from(),
                0,
                2048,
                0,
                "restricted",
                null,
                Map.of(),
                // the node's TTL guard ends a build whose steps hang past their own timeouts
                clock.instant()
                        .plus(timeout(build).multipliedBy(stepCount(build) + 1L))
                        .plus(SETUP_MARGIN));
        LocalSandbox sandbox = sandboxes.startBuild(spec, root);
        try {
            var agent = agents.of(sandbox.containerId());
            long timeoutMs = timeout(build).toMillis();
            if (build.files() != null && !build.files().isEmpty()) {
                long started = System.nanoTime();
                StringBuilder output = new StringBuilder();
                int exit = 0;
                for (var file : build.files().entrySet()) {
                    var result = runs.run(
                            agent,
                            List.of("/bin/sh", "-c", WRITE_FILE, "sh", file.getKey()),
                            "/",
                            Map.of(),
                            file.getValue(),
                            timeoutMs,
                            properties.outputCapBytes());
                    output.append(result.output());
                    exit = result.exitCode();
                    if (exit != 0) {
                        break;
                    }
                }
                steps.add(new TemplateStepLog(
                        0,
                        "write " + String.join(", ", build.files().keySet()),
                        output.toString(),
                        exit,
                        (System.nanoTime() - started) / 1_000_000,
                        false));
                if (exit != 0) {
                    return;
                }
            }
            List<String> run = build.run() == null ? List.of() : build.run();
            for (int i = 0; i < run.size(); i++) {
                long started = System.nanoTime();
                var result = runs.run(
                        agent,
                        List.of("/bin/sh", "-c", run.get(i)),
                        "/root",
                        Map.of(),
                        null,
                        timeoutMs,
                        properties.outputCapBytes());
                steps.add(new TemplateStepLog(
                        i + 1,
                        run.get(i),
                        result.output(),
                        result.exitCode(),
                        (System.nanoTime() - started) / 1_000_000,
                        result.timedOut()));
                if (result.exitCode() != 0 || result.timedOut()) {
                    return;
                }
            }
        } finally {
            sandboxes.stop(sandboxId);
        }
    }

    private Duration timeout(TemplateBuild build) {
        return build.stepTimeoutMs() > 0 ? Duration.ofMillis(build.stepTimeoutMs()) : properties.stepTimeout();
    }

    private static int stepCount(TemplateBuild build) {
        return build.run() == null ? 0 : build.run().size();
    }

    private TemplateBuildOutcome failed(List<TemplateStepLog> steps, Integer step, String reason, long t0) {
        return new TemplateBuildOutcome(false, 0, (System.nanoTime() - t0) / 1_000_000, node.id(), steps, step, reason);
    }

    private long size(String name) {
        try {
            return Files.size(templates.dir().resolve(name).resolve(OciBundle.EROFS_IMAGE));
        } catch (IOException e) {
            return 0;
        }
    }

    /** Drops a custom template's directory; quiet when there is none. The control plane checked no sandbox uses it. */
    public void delete(String name) throws IOException {
        if (name == null || !CUSTOM_NAME.matcher(name).matches()) {
            throw ApiException.badRequest("invalid_template_name", "only custom templates can be deleted");
        }
        Path dir = templates.dir().resolve(name);
        if (Files.exists(dir)) {
            Path trash = templates.dir().resolve(".trash-" + name + "-" + System.nanoTime());
            Files.move(dir, trash);
            TemplateLayers.deleteTree(trash);
        }
    }
}
