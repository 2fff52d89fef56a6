package dev.crownest.node.files;

import dev.crownest.nodeclient.protocol.NodePaths;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * The node agent's files API on a sandbox's /workspace (docs/services.md). Contents travel as raw
 * bytes, streamed both ways: never held whole in memory.
 */
@RestController
class FilesController {
    private final WorkspaceFiles files;

    FilesController(WorkspaceFiles files) {
        this.files = files;
    }

    @GetMapping(NodePaths.FILES)
    ResponseEntity<StreamingResponseBody> read(@PathVariable String id, @RequestParam String path) {
        WorkspaceFiles.OpenFile file = files.open(id, path);
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_OCTET_STREAM)
                .contentLength(file.size())
                .body(out -> WorkspaceFiles.copy(file, out));
    }

    @PutMapping(NodePaths.FILES)
    Map<String, Object> write(@PathVariable String id, @RequestParam String path, HttpServletRequest request)
            throws IOException {
        long size = files.write(id, path, request.getInputStream());
        return Map.of("path", WorkspacePath.parse(path).toString(), "size", size);
    }

    @DeleteMapping(NodePaths.FILES)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable String id, @RequestParam String path) {
        files.delete(id, path);
    }

    @GetMapping(NodePaths.FILES_LIST)
    Map<String, Object> list(@PathVariable String id, @RequestParam(defaultValue = "/workspace") String path) {
        List<FileEntry> entries = files.list(id, path);
        return Map.of("path", WorkspacePath.parse(path).toString(), "entries", entries);
    }

    @PostMapping(NodePaths.FILES_MKDIR)
    @ResponseStatus(HttpStatus.CREATED)
    Map<String, Object> mkdir(@PathVariable String id, @RequestParam String path) {
        files.mkdir(id, path);
        return Map.of("path", WorkspacePath.parse(path).toString());
    }

    @PostMapping(NodePaths.FILES_MOVE)
    Map<String, Object> move(@PathVariable String id, @RequestParam String from, @RequestParam String to) {
        files.move(id, from, to);
        return Map.of(
                "from",
                WorkspacePath.parse(from).toString(),
                "to",
                WorkspacePath.parse(to).toString());
    }
}
