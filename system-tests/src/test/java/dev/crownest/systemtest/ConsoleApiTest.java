package dev.crownest.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.security.Scopes;
import dev.crownest.sdk.CrowNest;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The APIs the console stands on (issue 17, item 7): {@code GET /v1/me} for every kind of credential, and
 * the live sandbox feed {@code GET /v1/sandboxes/events}, which shows a key its own sandboxes' changes and
 * nothing of another project or tenant.
 */
class ConsoleApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static TwoProjects tenant;
    private static CrowNest whole;
    private static CrowNest onlyOne;
    private static String keyOfOne;

    @BeforeAll
    static void aTenantWithTwoProjects() {
        tenant = new TwoProjects("console");
        whole = tenant.key("whole", Scopes.ALL, null);
        onlyOne = tenant.key("one", List.of(Scopes.SANDBOXES_READ, Scopes.SANDBOXES_CREATE), tenant.one);
        keyOfOne = tenant.secrets.get(tenant.secrets.size() - 1);
    }

    @Test
    void meSaysWhoEachCredentialIsAndNothingSecret() {
        JsonNode key = onlyOne.http().send("GET", "/v1/me").json();
        assertThat(key.path("kind").asText()).isEqualTo("api_key");
        assertThat(key.path("tenantId").asText()).isEqualTo(tenant.tenant);
        assertThat(key.path("projectId").asText()).isEqualTo(tenant.one);
        assertThat(key.path("keyId").asText()).startsWith("key_");
        assertThat(key.path("scopes"))
                .extracting(JsonNode::asText)
                .containsExactly(Scopes.SANDBOXES_CREATE, Scopes.SANDBOXES_READ);

        JsonNode admin = tenant.admin.http().send("GET", "/v1/me").json();
        assertThat(admin.path("kind").asText()).isEqualTo("tenant_admin");
        assertThat(admin.path("role").asText()).isEqualTo("tenant_admin");
        assertThat(admin.path("tenantId").asText()).isEqualTo(tenant.tenant);

        JsonNode operator = tenant.operator.http().send("GET", "/v1/me").json();
        assertThat(operator.path("kind").asText()).isEqualTo("operator");
        assertThat(operator.path("tenantId").isNull()).isTrue();

        for (JsonNode me : List.of(key, admin, operator)) {
            tenant.secrets.forEach(secret -> assertThat(me.toString()).doesNotContain(secret));
        }
        var anonymous = SystemUnderTest.withKey("cn_live_not_a_key").http().send("GET", "/v1/me");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.json().path("error").path("code").asText()).isEqualTo("invalid_api_key");
    }

    @Test
    void theLiveFeedShowsAKeyItsOwnProjectsSandboxesChangingAndNothingElse() throws Exception {
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        HttpResponse<InputStream> feed = HTTP.send(
                HttpRequest.newBuilder(URI.create(SystemUnderTest.apiUrl() + "/v1/sandboxes/events"))
                        .header("x-api-key", keyOfOne)
                        .header("accept", "text/event-stream")
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(feed.statusCode()).isEqualTo(200);
        assertThat(feed.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
        Thread reader = Thread.ofVirtual().start(() -> read(feed.body(), seen));
        try {
            assertThat(seen.poll(20, TimeUnit.SECONDS)).as("the ready event").isEqualTo("ready {}");

            String other = whole.http()
                    .send("POST", "/v1/sandboxes", Map.of("template", "base", "projectId", tenant.two))
                    .json()
                    .path("id")
                    .asText();
            String mine = onlyOne.http()
                    .send("POST", "/v1/sandboxes", Map.of("template", "base"))
                    .json()
                    .path("id")
                    .asText();
            assertThat(whole.http().send("DELETE", "/v1/sandboxes/" + mine).status())
                    .isLessThan(300);
            whole.http().send("DELETE", "/v1/sandboxes/" + other);

            // every change of the key's own sandbox, up to its end, and never the other project's
            long giveUp = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            String status = "";
            while (!status.equals("killed") && System.nanoTime() < giveUp) {
                String event = seen.poll(1, TimeUnit.SECONDS);
                if (event == null) {
                    continue;
                }
                assertThat(event)
                        .doesNotContain(other)
                        .doesNotContain(tenant.two)
                        .startsWith("sandbox ");
                JsonNode view = JSON.readTree(event.substring("sandbox ".length()));
                assertThat(view.path("id").asText()).isEqualTo(mine);
                status = view.path("status").asText();
            }
            assertThat(status).as("the last status the feed showed").isEqualTo("killed");
        } finally {
            feed.body().close();
            reader.join(Duration.ofSeconds(5).toMillis());
        }

        var lacking = tenant.key("no read", List.of(Scopes.SANDBOXES_CREATE), null)
                .http()
                .send("GET", "/v1/sandboxes/events");
        assertThat(lacking.status()).isEqualTo(403);
        assertThat(lacking.json().path("error").path("code").asText()).isEqualTo("missing_scope");
        var otherProject = onlyOne.http().send("GET", "/v1/sandboxes/events?projectId=" + tenant.two);
        assertThat(otherProject.status()).isEqualTo(404);
        assertThat(otherProject.json().path("error").path("code").asText()).isEqualTo("project_not_found");
    }

    /** Server-sent events as {@code "<event> <data>"}, until the stream is closed. */
    private static void read(InputStream stream, BlockingQueue<String> seen) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String event = null;
            StringBuilder data = new StringBuilder();
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("event:")) {
                    event = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).trim());
                } else if (line.isEmpty() && event != null) {
                    seen.add(event + " " + data);
                    event = null;
                    data.setLength(0);
                }
            }
        } catch (Exception closed) {
            // the test closed the stream
        }
    }
}
