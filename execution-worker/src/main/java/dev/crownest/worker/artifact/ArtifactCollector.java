package dev.crownest.worker.artifact;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.api.CollectError;
import dev.crownest.contracts.api.CollectFile;
import dev.crownest.contracts.event.CommandEvent;
import dev.crownest.nodeclient.NodeClient;
import dev.crownest.worker.report.SandboxServiceReports;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;

/**
 * After a command exited 0, streams each declared file from the node's files API to sandbox-service,
 * which stores and indexes it. A file that cannot be collected (missing, a directory, too large, a
 * failure on the way) becomes a {@link CollectError} of the command, never a failure of the command.
 */
@Component
public class ArtifactCollector {
    private static final Logger log = LoggerFactory.getLogger(ArtifactCollector.class);
    private static final int ATTEMPTS = 3;

    /** Until the node answers a read with its headers. */
    private static final Duration OPEN_LIMIT = Duration.ofSeconds(30);
    /** Buffers of a file the upload may have asked for ahead of reading them. */
    private static final int READ_AHEAD = 16;

    private final NodeClient nodes;
    private final URI node;
    private final SandboxServiceReports reports;

    ArtifactCollector(
            NodeClient nodes,
            @Value("${crownest.node-agent.url:http://localhost:8083}") URI node,
            SandboxServiceReports reports) {
        this.nodes = nodes;
        this.node = node;
        this.reports = reports;
    }

    /** Collects every declared file, one after the other; answers those that did not make it. */
    public List<CollectError> collect(CommandEvent.CommandStarted command) {
        List<CollectError> errors = new ArrayList<>();
        for (CollectFile file : command.collect()) {
            CollectError error = collectOne(command, file);
            if (error != null) {
                errors.add(error);
            }
        }
        return errors;
    }

    private CollectError collectOne(CommandEvent.CommandStarted command, CollectFile file) {
        String failure = "no attempt";
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                ResponseEntity<Flux<DataBuffer>> opened;
                try {
                    opened = nodes.readFile(node, command.sandboxId(), file.path(), null)
                            .block(OPEN_LIMIT);
                } catch (ApiException refused) {
                    // The node's verdict on the path (file_not_found, is_a_directory, path_outside_workspace, ...):
                    // final.
                    return new CollectError(file.path(), refused.code(), refused.getMessage());
                }
                SandboxServiceReports.UploadAnswer answer;
                Flux<DataBuffer> body = opened.getBody() == null ? Flux.empty() : opened.getBody();
                try (InputStream content = DataBufferUtils.subscriberInputStream(body, READ_AHEAD)) {
                    answer = reports.uploadArtifact(
                            command.commandId(),
                            file.path(),
                            content,
                            opened.getHeaders().getContentLength());
                }
                if (answer.stored()) {
                    return null;
                }
                if (answer.status() < 500) {
                    return new CollectError(
                            file.path(),
                            answer.errorCode() == null ? "collect_failed" : answer.errorCode(),
                            "sandbox-service answered " + answer.status());
                }
                failure = "sandbox-service answered " + answer.status();
            } catch (IOException | RuntimeException e) {
                failure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new CollectError(file.path(), "collect_failed", "interrupted");
            }
            log.warn(
                    "collecting {} of command {} failed (attempt {}): {}",
                    file.path(),
                    command.commandId(),
                    attempt,
                    failure);
        }
        return new CollectError(file.path(), "collect_failed", failure);
    }
}
