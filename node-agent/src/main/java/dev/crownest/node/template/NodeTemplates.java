package dev.crownest.node.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.node.NodeTemplate;
import dev.crownest.node.NodeProperties;
import dev.crownest.node.runsc.OciBundle;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * The templates this node holds, as read from its templates directory: {@code NAME/rootfs} is ready;
 * a {@code .build-NAME.*} directory (build-template.sh or a custom build under way) is building;
 * a {@code .failed-NAME} marker (left by a failed build-template.sh) is failed. A ready template stays
 * ready while a rebuild of it runs: sandboxes keep starting from the old one.
 */
@Component
public class NodeTemplates {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern BUILDING = Pattern.compile("\\.build-([a-z0-9-]+)\\..*");
    private static final Pattern FAILED = Pattern.compile("\\.failed-([a-z0-9-]+)");
    private static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,63}");

    private final Path dir;
    /** Custom builds under way on this node (their directory appears a moment after they start). */
    private final Set<String> building = ConcurrentHashMap.newKeySet();

    public NodeTemplates(NodeProperties node) {
        this.dir = node.templatesDir();
    }

    public Path dir() {
        return dir;
    }

    /** The root filesystem tree of a ready template. */
    public Path rootfs(String name) {
        return dir.resolve(name).resolve("rootfs");
    }

    public boolean ready(String name) {
        return name != null && NAME.matcher(name).matches() && Files.isDirectory(rootfs(name));
    }

    /** Marks a custom build as under way; false if one of that name already is. */
    boolean startBuilding(String name) {
        return building.add(name);
    }

    void doneBuilding(String name) {
        building.remove(name);
    }

    /** Every template of this node, by name. */
    public List<NodeTemplate> list() {
        var byName = new TreeMap<String, NodeTemplate>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String file = entry.getFileName().toString();
                Matcher failed = FAILED.matcher(file);
                Matcher build = BUILDING.matcher(file);
                if (failed.matches()) {
                    byName.putIfAbsent(
                            failed.group(1), new NodeTemplate(failed.group(1), NodeTemplate.FAILED, 0, null));
                } else if (build.matches()) {
                    byName.put(build.group(1), new NodeTemplate(build.group(1), NodeTemplate.BUILDING, 0, null));
                }
            }
        } catch (IOException e) {
            return List.of(); // no directory yet: no templates
        }
        building.forEach(name -> byName.put(name, new NodeTemplate(name, NodeTemplate.BUILDING, 0, null)));
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (ready(name)) {
                    byName.put(name, new NodeTemplate(name, NodeTemplate.READY, size(entry), builtAt(entry)));
                }
            }
        } catch (IOException e) {
            return List.copyOf(byName.values());
        }
        return new ArrayList<>(byName.values());
    }

    /** The image's size (what a sandbox's root is served from), else 0. */
    private static long size(Path template) {
        try {
            Path image = template.resolve(OciBundle.EROFS_IMAGE);
            return Files.isRegularFile(image) ? Files.size(image) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static Instant builtAt(Path template) {
        try {
            JsonNode record = JSON.readTree(template.resolve("template.json").toFile());
            return Instant.parse(record.path("builtAt").asText());
        } catch (IOException | RuntimeException e) {
            try {
                return Files.getLastModifiedTime(template).toInstant();
            } catch (IOException gone) {
                return null;
            }
        }
    }
}
