package dev.crownest.audit;

import dev.crownest.kit.auth.ServiceCredential;
import dev.crownest.testing.TestInfrastructure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.context.DynamicPropertyRegistry;

/** What the audit tests share: the writer role on the real infrastructure, and a superuser connection. */
final class AuditTestSupport {
    /** A role of the tests' own, so a full stack on the same cluster keeps its writer's password. */
    static final String WRITER = "crownest_audit_writer_test";

    private AuditTestSupport() {}

    /** The service writes as {@link #WRITER}; Flyway migrates as the superuser the throwaway database belongs to. */
    static void writeAsTestRole(DynamicPropertyRegistry registry) {
        registry.add("crownest.audit.writer.username", () -> WRITER);
        registry.add("crownest.audit.writer.password", () -> "writer-" + WRITER);
    }

    /** The owner (a superuser in tests) on the same database: what an insider with the keys could do. */
    static JdbcTemplate superuser(String url) {
        return new JdbcTemplate(
                new DriverManagerDataSource(url, TestInfrastructure.pgUser(), TestInfrastructure.pgPassword()));
    }

    static String tenant() {
        return "t-" + UUID.randomUUID();
    }

    static String sandboxId() {
        return "sbx_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    }

    static HttpResponse<String> post(int port, String path, String tenant, ServiceCredential credential)
            throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        credential
                                .sign(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)))
                                .header("X-CrowNest-Tenant", tenant)
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }
}
