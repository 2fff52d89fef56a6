package dev.crownest.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crownest.contracts.security.Scopes;
import dev.crownest.sdk.ApiKey;
import dev.crownest.sdk.CrowNest;
import dev.crownest.sdk.RawResponse;
import dev.crownest.sdk.Tenant;
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
    final CrowNest operator = SystemUnderTest.operator();
    final String tenant;
    final CrowNest admin;
    final String one;
    final String two;
    final List<String> secrets = new ArrayList<>();

    TwoProjects(String label) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        JsonNode created = created(untilServed(
                () -> operator.http().send("POST", "/v1/tenants", Map.of("name", label + "-" + run, "plan", "pro"))));
        tenant = created.path("id").asText();
        secrets.add(created.path("adminToken").asText());
        admin = SystemUnderTest.withSession(created.path("adminToken").asText());
        one = created(admin.http().send("POST", "/v1/projects", Map.of("name", "one")))
                .path("id")
                .asText();
        two = created(admin.http().send("POST", "/v1/projects", Map.of("name", "two")))
                .path("id")
                .asText();
    }

    /** A key with {@code scopes}, restricted to {@code project} unless null. */
    CrowNest key(String name, List<String> scopes, String project) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("scopes", scopes);
        if (project != null) {
            body.put("projectId", project);
        }
        String secret =
                created(admin.http().send("POST", "/v1/keys", body)).path("key").asText();
        secrets.add(secret);
        return SystemUnderTest.withKey(secret);
    }

    /**
     * Asks again while the answer is a 503 (nothing was made; a suite before may have just restarted a
     * service), as a client honouring Retry-After would: at most 30 s.
     */
    static RawResponse untilServed(Supplier<RawResponse> call) {
        long giveUp = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        RawResponse answer = call.get();
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

    static JsonNode created(RawResponse answer) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(201);
        return answer.json();
    }

    /** The id of a sandbox that answered 201 running. */
    static String running(RawResponse answer) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(201);
        assertThat(answer.field("status")).isEqualTo("running");
        return answer.field("id");
    }

    static void assertError(RawResponse answer, int status, String code, String what) {
        assertThat(answer.status()).as(what + ": " + answer.text()).isEqualTo(status);
        assertThat(answer.json().path("error").path("code").asText())
                .as(what + ": " + answer.text())
                .isEqualTo(code);
    }

    /** A key with every scope of a new tenant named {@code name} (plan pro): another tenant's caller. */
    static CrowNest keyOfNewTenant(String name) {
        Tenant other = SystemUnderTest.operator().admin().createTenant(name, "pro");
        ApiKey key = SystemUnderTest.withSession(other.adminToken()).admin().createKey("all", Scopes.ALL, null);
        return SystemUnderTest.withKey(key.key());
    }
}
