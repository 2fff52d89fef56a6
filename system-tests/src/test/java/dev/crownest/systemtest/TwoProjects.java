package dev.crownest.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A fresh tenant with two projects, made through the public API for the project tests: its admin
 * session, and keys of the whole tenant or of one project. Secrets it saw are kept in {@link #secrets}
 * so a test can check that none shows up again.
 */
final class TwoProjects {
    final PlatformClient operator = SystemUnderTest.operator();
    final String tenant;
    final PlatformClient admin;
    final String one;
    final String two;
    final List<String> secrets = new ArrayList<>();

    TwoProjects(String label) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        JsonNode created = created(
                untilServed(() -> operator.post("/v1/tenants", Map.of("name", label + "-" + run, "plan", "pro"))));
        tenant = created.path("id").asText();
        secrets.add(created.path("adminToken").asText());
        admin = operator.withSession(created.path("adminToken").asText());
        one = created(admin.post("/v1/projects", Map.of("name", "one")))
                .path("id")
                .asText();
        two = created(admin.post("/v1/projects", Map.of("name", "two")))
                .path("id")
                .asText();
    }

    /** A key with {@code scopes}, restricted to {@code project} unless null. */
    PlatformClient key(String name, List<String> scopes, String project) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("scopes", scopes);
        if (project != null) {
            body.put("projectId", project);
        }
        String secret = created(admin.post("/v1/keys", body)).path("key").asText();
        secrets.add(secret);
        return admin.withKey(secret);
    }

    /**
     * Asks again while the answer is a 503 (nothing was made; a suite before may have just restarted a
     * service), as a client honouring Retry-After would: at most 30 s.
     */
    static PlatformClient.Answer untilServed(Supplier<PlatformClient.Answer> call) {
        long giveUp = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        PlatformClient.Answer answer = call.get();
        while (answer.status() == 503 && System.nanoTime() < giveUp) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return answer;
            }
            answer = call.get();
        }
        return answer;
    }

    static JsonNode created(PlatformClient.Answer answer) {
        assertThat(answer.status()).as(answer.raw()).isEqualTo(201);
        return answer.body();
    }

    /** The id of a sandbox that answered 201 running. */
    static String running(PlatformClient.Answer answer) {
        assertThat(answer.status()).as(answer.raw()).isEqualTo(201);
        assertThat(answer.text("status")).isEqualTo("running");
        return answer.text("id");
    }

    static void assertError(PlatformClient.Answer answer, int status, String code, String what) {
        assertThat(answer.status()).as(what + ": " + answer.raw()).isEqualTo(status);
        assertThat(answer.body().path("error").path("code").asText())
                .as(what + ": " + answer.raw())
                .isEqualTo(code);
    }
}
