package dev.crownest.worker.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.node.NodeReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Reports to sandbox-service what a node did. Reports are idempotent there, so a report is retried
 * until it is taken (sandbox-service may be restarting): losing one would leave a sandbox starting.
 */
@Component
public class SandboxServiceReports {
    private static final Logger log = LoggerFactory.getLogger(SandboxServiceReports.class);
    private static final int ATTEMPTS = 20;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final ObjectMapper json;
    private final URI base;

    public SandboxServiceReports(ObjectMapper json, @Value("${crownest.sandbox-service.url:http://localhost:8081}") String url) {
        this.json = json;
        this.base = URI.create(url);
    }

    /** Answers false when sandbox-service refused the report: it no longer wants this sandbox. */
    public boolean sandboxStarted(String sandboxId, NodeReport.SandboxStarted report) {
        return send("/internal/reports/sandboxes/" + sandboxId + "/started", report);
    }

    public void sandboxFailed(String sandboxId, NodeReport.SandboxFailed report) {
        send("/internal/reports/sandboxes/" + sandboxId + "/failed", report);
    }

    /** {@code change}: paused, resumed or ttl-extended. */
    public void sandboxChanged(String sandboxId, String change, NodeReport.SandboxChanged report) {
        send("/internal/reports/sandboxes/" + sandboxId + "/" + change, report);
    }

    public void commandFinished(String commandId, NodeReport.CommandFinished report) {
        send("/internal/reports/commands/" + commandId + "/finished", report);
    }

    /** True when taken (2xx), false when refused (4xx) or given up. */
    private boolean send(String path, Object body) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                HttpResponse<String> res = http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body))).build(),
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
