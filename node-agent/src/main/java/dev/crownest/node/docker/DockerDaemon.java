package dev.crownest.node.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The node's connection to dockerd: docker-java's client, and Docker's HTTP API itself for what
 * docker-java does not wrap (checkpoints) or does not do right (importing a tar stream).
 */
@Component
@ConditionalOnProperty(name = "crownest.node.runtime", havingValue = "docker")
class DockerDaemon {
    private final DockerClient client;
    private final DockerHttpClient http;

    DockerDaemon(DockerProperties properties) {
        var config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(properties.host().toString())
                .build();
        // No response timeout: an exec's stream is silent as long as its command is.
        this.http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .maxConnections(200)
                .connectionTimeout(Duration.ofSeconds(10))
                .build();
        this.client = DockerClientImpl.getInstance(config, http);
    }

    DockerClient client() {
        return client;
    }

    /** Sends {@code json} (or nothing) and fails unless Docker answers 2xx. */
    void call(String method, String path, String json, String what) {
        var request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.valueOf(method))
                .path(path);
        if (json != null) {
            request.putHeader("Content-Type", "application/json")
                    .body(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
        }
        call(request, what);
    }

    void call(DockerHttpClient.Request.Builder request, String what) {
        String path = request.build().path();
        try (var res = http.execute(request.build())) {
            if (res.getStatusCode() / 100 != 2) {
                String body;
                try {
                    body = new String(res.getBody().readAllBytes(), StandardCharsets.UTF_8).strip();
                } catch (IOException e) {
                    body = "";
                }
                throw new IllegalStateException(
                        "docker " + what + " of " + path + " answered " + res.getStatusCode() + ": " + body);
            }
        }
    }

    /** Sends a body-less DELETE and ignores the answer (404 when there was nothing to delete). */
    void delete(String path) {
        try (var res = http.execute(DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.DELETE)
                .path(path)
                .build())) {
            // whatever it answers: the goal state is that there is none
        }
    }
}
