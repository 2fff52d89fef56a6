package dev.crownest.worker.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.node.NodeReport;
import dev.crownest.contracts.node.SandboxChange;
import dev.crownest.contracts.node.TemplateBuildOutcome;
import dev.crownest.kit.auth.ServiceCredential;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Reports to sandbox-service what a node did. Reports are idempotent there, so a report is retried
 * until it is taken (sandbox-service may be restarting): losing one would leave a sandbox starting.
 * On the JDK's HTTP client (for {@code Expect: 100-continue}), so the service credential is set here.
 */
@Component
public class SandboxServiceReports {
    private static final Logger log = LoggerFactory.getLogger(SandboxServiceReports.class);
    private static final int ATTEMPTS = 20;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    /** HTTP/1.1 without an h2c upgrade attempt, so that {@code Expect: 100-continue} works as Tomcat expects. */
    private final HttpClient uploads = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3))
            .build();

    private final ObjectMapper json;
    private final URI base;
    private final ServiceCredential credential;

    public SandboxServiceReports(
            ObjectMapper json,
            @Value("${crownest.sandbox-service.url:http://localhost:8081}") String url,
            ServiceCredential credential) {
        this.json = json;
        this.base = URI.create(url);
        this.credential = credential;
    }

    /** Answers false when sandbox-service refused the report: it no longer wants this sandbox. */
    public boolean sandboxStarted(String sandboxId, NodeReport.SandboxStarted report) {
        return send("/internal/reports/sandboxes/" + sandboxId + "/started", report);
    }

    public void sandboxFailed(String sandboxId, NodeReport.SandboxFailed report) {
        send("/internal/reports/sandboxes/" + sandboxId + "/failed", report);
    }

    public void sandboxChanged(String sandboxId, SandboxChange change, NodeReport.SandboxChanged report) {
        send("/internal/reports/sandboxes/" + sandboxId + "/" + change.report(), report);
    }

    public void templateBuilt(String templateId, TemplateBuildOutcome outcome) {
        send("/internal/reports/templates/" + templateId, outcome);
    }

    public void commandFinished(String commandId, NodeReport.CommandFinished report) {
        send("/internal/reports/commands/" + commandId + "/finished", report);
    }

    /** What sandbox-service said to an artifact upload: its status and, for a refusal, the ApiError code. */
    public record UploadAnswer(int status, String errorCode, String body) {
        public boolean stored() {
            return status == 200 || status == 201;
        }
    }

    /**
     * Streams a collected file to sandbox-service ({@code PUT /internal/reports/commands/{cid}/artifacts?path=}).
     * HTTP/1.1 with {@code Expect: 100-continue}: a refusal (too large by its length, collected already)
     * comes before the body is sent. One attempt; the caller retries with a fresh stream.
     */
    public UploadAnswer uploadArtifact(String commandId, String path, InputStream content, long length)
            throws IOException, InterruptedException {
        URI uri = URI.create(base + "/internal/reports/commands/" + commandId + "/artifacts?path="
                + URLEncoder.encode(path, StandardCharsets.UTF_8));
        HttpRequest.BodyPublisher body = length >= 0
                ? HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> content), length)
                : HttpRequest.BodyPublishers.ofInputStream(() -> content);
        HttpResponse<String> res = uploads.send(
                credential
                        .sign(HttpRequest.newBuilder(uri))
                        .timeout(Duration.ofMinutes(10))
                        .header("content-type", "application/octet-stream")
                        .expectContinue(true)
                        .PUT(body)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        String code = null;
        if (res.statusCode() >= 300) {
            try {
                code = json.readTree(res.body()).path("error").path("code").asText(null);
            } catch (IOException notJson) {
                // no code: the status says enough
            }
        }
        return new UploadAnswer(res.statusCode(), code, res.body());
    }

    /** True when taken (2xx), false when refused (4xx) or given up. */
    private boolean send(String path, Object body) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                HttpResponse<String> res = http.send(
                        credential
                                .sign(HttpRequest.newBuilder(base.resolve(path)))
                                .timeout(Duration.ofSeconds(10))
                                .header("content-type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (res.statusCode() < 500) {
                    if (res.statusCode() >= 300) {
                        log.warn("report {} refused with {}", path, res.statusCode());
                        return false;
                    }
                    return true;
                }
            } catch (IOException e) {
                log.warn("report {} failed (attempt {}): {}", path, attempt, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            sleep(Math.min(5000, 100L << Math.min(attempt, 6)));
        }
        log.error("report {} given up after {} attempts", path, ATTEMPTS);
        return false;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
