package dev.crownest.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crownest.sdk.CrowNest;
import dev.crownest.sdk.RawHttp;
import dev.crownest.sdk.RawResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Self-service sign-up end to end (issue 14, items 2 and 3): a signed-up tenant's key works at once and
 * creates a sandbox; its admin caps its buckets within the free plan; the operator lists, suspends (403
 * {@code tenant_suspended}, sandboxes paused on the node), moves and unsuspends it (sandboxes stay paused
 * until resumed); concurrent sign-ups each get the $10 credit exactly once and one email wins once; bad
 * input is refused in the one error shape.
 */
class SignupTest {
    private static final CrowNest OPERATOR = SystemUnderTest.operator();

    @Test
    void aSignedUpTenantCreatesASandboxAndIsSuspendedMovedAndUnsuspended() {
        JsonNode signedUp = SystemUnderTest.signUp("e2e");
        String tenantId = signedUp.path("tenantId").asText();
        assertThat(signedUp.path("plan").asText()).isEqualTo("free");
        CrowNest key = SystemUnderTest.withKey(signedUp.path("apiKey").asText());
        CrowNest admin = SystemUnderTest.withSession(signedUp.path("adminToken").asText());

        // the key works at once: a sandbox, a command
        RawResponse created = key.http().send("POST", "/v1/sandboxes", Map.of("template", "base"));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String sandboxId = created.field("id");
        RawResponse ran = key.http().send("POST", "/v1/sandboxes/" + sandboxId + "/commands", Map.of("cmd", "echo hi"));
        assertThat(ran.json().path("stdout").asText()).isEqualTo("hi\n");
        JsonNode quotas = key.http().send("GET", "/v1/quotas").json();
        assertThat(quotas.path("plan").asText()).isEqualTo("free");
        assertThat(quotas.path("maxConcurrentSandboxes").asInt()).isEqualTo(2);

        // its admin caps a project within the plan; above it is 403, negative 400; a key never sets caps
        String project =
                admin.http().send("POST", "/v1/projects", Map.of("name", "web")).field("id");
        RawResponse capped = admin.http()
                .send(
                        "PUT",
                        "/v1/quotas?projectId=" + project,
                        Map.of("maxConcurrentSandboxes", 1, "hardCapAmountUsd", 5));
        assertThat(capped.status()).as(capped.text()).isEqualTo(200);
        assertThat(capped.json().path("maxConcurrentSandboxes").asInt()).isEqualTo(1);
        assertError(
                admin.http().send("PUT", "/v1/quotas?projectId=" + project, Map.of("maxConcurrentSandboxes", 3)),
                403,
                "plan_limit_exceeded");
        assertError(
                admin.http().send("PUT", "/v1/quotas", Map.of("maxLifetimeMs", 3_600_001)), 403, "plan_limit_exceeded");
        assertError(
                admin.http().send("PUT", "/v1/quotas?projectId=" + project, Map.of("maxConcurrentSandboxes", -1)),
                400,
                "invalid_quota");
        assertError(key.http().send("PUT", "/v1/quotas", Map.of("maxConcurrentSandboxes", 1)), 403, "session_required");

        // the operator's list has it, on free and active
        assertThat(tenant(tenantId).path("status").asText()).isEqualTo("active");
        assertThat(tenant(tenantId).path("plan").asText()).isEqualTo("free");

        // suspended: keys and sessions 403, the sandbox paused on the node
        RawResponse suspended = OPERATOR.http().send("POST", "/v1/tenants/" + tenantId + "/suspend", Map.of());
        assertThat(suspended.status()).as(suspended.text()).isEqualTo(200);
        assertThat(suspended.field("status")).isEqualTo("suspended");
        assertError(key.http().send("GET", "/v1/sandboxes"), 403, "tenant_suspended");
        assertError(admin.http().send("GET", "/v1/keys"), 403, "tenant_suspended");
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> !SystemUnderTest.runningOnNode().contains(sandboxId));
        assertThat(tenant(tenantId).path("status").asText()).isEqualTo("suspended");

        // a plan change reaches metering's limits at once
        RawResponse pro = OPERATOR.http().send("PUT", "/v1/tenants/" + tenantId + "/plan", Map.of("plan", "pro"));
        assertThat(pro.status()).as(pro.text()).isEqualTo(200);
        assertThat(pro.field("plan")).isEqualTo("pro");
        assertThat(OPERATOR.http()
                        .send("GET", "/v1/quotas?tenantId=" + tenantId)
                        .json()
                        .path("maxConcurrentSandboxes")
                        .asInt())
                .isEqualTo(20);
        assertError(
                OPERATOR.http().send("PUT", "/v1/tenants/" + tenantId + "/plan", Map.of("plan", "gold")),
                400,
                "invalid_plan");

        // unsuspended: the key works again, the sandbox stays paused until the tenant resumes it
        assertThat(OPERATOR.http()
                        .send("POST", "/v1/tenants/" + tenantId + "/unsuspend", Map.of())
                        .field("status"))
                .isEqualTo("active");
        RawResponse view = key.http().send("GET", "/v1/sandboxes/" + sandboxId);
        assertThat(view.status()).as(view.text()).isEqualTo(200);
        assertThat(view.field("status")).isEqualTo("paused");
        RawResponse resumed = key.http().send("POST", "/v1/sandboxes/" + sandboxId + "/resume", Map.of());
        assertThat(resumed.status()).as(resumed.text()).isEqualTo(200);
        assertThat(key.http()
                        .send("POST", "/v1/sandboxes/" + sandboxId + "/commands", Map.of("cmd", "echo back"))
                        .json()
                        .path("stdout")
                        .asText())
                .isEqualTo("back\n");
        assertThat(key.http().send("DELETE", "/v1/sandboxes/" + sandboxId).status())
                .isEqualTo(200);
    }

    @Test
    void concurrentSignUpsGetTheCreditOnceEachAndOfOneEmailExactlyOneWins() throws Exception {
        OPERATOR.http().send("PUT", "/v1/settings/signup", Map.of("enabled", true));
        RawHttp anonymous = OPERATOR.http().anonymous();
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<CompletableFuture<RawResponse>> distinct = new ArrayList<>();
        List<CompletableFuture<RawResponse>> sameEmail = new ArrayList<>();
        // a thread each, all at once (the common pool of a 2-core machine would run them one by one)
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        for (int i = 0; i < 4; i++) {
            String name = "conc-" + run + "-" + i;
            distinct.add(CompletableFuture.supplyAsync(
                    () -> anonymous.send("POST", "/v1/signup", Map.of("name", name, "email", name + "@example.com")),
                    threads));
            sameEmail.add(CompletableFuture.supplyAsync(
                    () -> anonymous.send(
                            "POST",
                            "/v1/signup",
                            Map.of("name", name + "-same", "email", "same-" + run + "@example.com")),
                    threads));
        }
        threads.close();
        List<RawResponse> tenants = new ArrayList<>();
        for (CompletableFuture<RawResponse> signUp : distinct) {
            RawResponse answer = signUp.get(60, TimeUnit.SECONDS);
            assertThat(answer.status()).as(answer.text()).isEqualTo(201);
            tenants.add(answer);
        }
        List<RawResponse> same = new ArrayList<>();
        for (CompletableFuture<RawResponse> signUp : sameEmail) {
            same.add(signUp.get(60, TimeUnit.SECONDS));
        }
        assertThat(same).filteredOn(a -> a.status() == 201).hasSize(1);
        same.stream().filter(a -> a.status() != 201).forEach(a -> assertError(a, 409, "email_taken"));
        tenants.add(same.stream().filter(a -> a.status() == 201).findFirst().orElseThrow());

        // every new tenant has its $10, granted once
        for (RawResponse tenant : tenants) {
            CrowNest key = SystemUnderTest.withKey(tenant.field("apiKey"));
            JsonNode credits = await().atMost(Duration.ofSeconds(20))
                    .until(
                            () -> key.http().send("GET", "/v1/credits").json(),
                            c -> c.path("items").size() > 0);
            Thread.sleep(200);
            credits = key.http().send("GET", "/v1/credits").json();
            assertThat(credits.path("items"))
                    .as(tenant.field("tenantId"))
                    .filteredOn(i -> i.path("kind").asText().equals("credit_grant"))
                    .hasSize(1);
            assertThat(credits.path("balanceUsd").decimalValue()).isEqualByComparingTo("10");
        }
        // the stack's own tenant, configured rather than created, has no free credit
        assertThat(SystemUnderTest.client()
                        .http()
                        .send("GET", "/v1/credits")
                        .json()
                        .path("items"))
                .noneMatch(i -> i.path("kind").asText().equals("credit_grant"));
    }

    @Test
    void badSignUpsAndAdministrationAreRefusedInTheErrorShapeAndCreateNothing() {
        OPERATOR.http().send("PUT", "/v1/settings/signup", Map.of("enabled", true));
        RawHttp anonymous = OPERATOR.http().anonymous();
        int before = OPERATOR.http()
                .send("GET", "/v1/tenants?limit=1000")
                .json()
                .path("data")
                .size();
        String run = UUID.randomUUID().toString().substring(0, 8);
        assertError(anonymous.send("POST", "/v1/signup", Map.of("email", run + "@example.com")), 400, "invalid_name");
        assertError(
                anonymous.send("POST", "/v1/signup", Map.of("name", "x".repeat(101), "email", run + "@example.com")),
                400,
                "invalid_name");
        for (String email : List.of("", "nobody", "a@b", "two@@example.com", "x".repeat(250) + "@example.com")) {
            assertError(
                    anonymous.send("POST", "/v1/signup", Map.of("name", "bad-" + run, "email", email)),
                    400,
                    "invalid_email");
        }
        assertError(anonymous.send("POST", "/v1/signup", "{\"name\": "), 400, "invalid_json");
        assertError(
                anonymous.send("POST", "/v1/signup", Map.of("name", "ctl-" + run, "email", "a\u0001@example.com")),
                400,
                "invalid_text");
        assertThat(OPERATOR.http()
                        .send("GET", "/v1/tenants?limit=1000")
                        .json()
                        .path("data")
                        .size())
                .isEqualTo(before);

        // closed by the operator: 403 signup_disabled; only the operator's session may switch it
        JsonNode someone = SystemUnderTest.signUp("admin-" + run);
        assertError(
                SystemUnderTest.withSession(someone.path("adminToken").asText())
                        .http()
                        .send("PUT", "/v1/settings/signup", Map.of("enabled", false)),
                403,
                "operator_required");
        assertError(
                SystemUnderTest.client().http().send("PUT", "/v1/settings/signup", Map.of("enabled", false)),
                403,
                "session_required");
        assertError(OPERATOR.http().send("PUT", "/v1/settings/signup", Map.of()), 400, "invalid_setting");
        assertThat(OPERATOR.http()
                        .send("PUT", "/v1/settings/signup", Map.of("enabled", false))
                        .status())
                .isEqualTo(200);
        try {
            assertError(
                    anonymous.send(
                            "POST", "/v1/signup", Map.of("name", "closed-" + run, "email", run + "@example.com")),
                    403,
                    "signup_disabled");
        } finally {
            OPERATOR.http().send("PUT", "/v1/settings/signup", Map.of("enabled", true));
        }
        assertError(OPERATOR.http().send("POST", "/v1/tenants/ten_nope/suspend", Map.of()), 404, "tenant_not_found");
        assertError(
                OPERATOR.http().send("POST", "/v1/tenants/default/suspend", Map.of()), 400, "tenant_not_administered");
    }

    private static JsonNode tenant(String tenantId) {
        for (JsonNode tenant :
                OPERATOR.http().send("GET", "/v1/tenants?limit=1000").json().path("data")) {
            if (tenant.path("id").asText().equals(tenantId)) {
                return tenant;
            }
        }
        throw new AssertionError("tenant " + tenantId + " not listed");
    }

    private static void assertError(RawResponse answer, int status, String code) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(status);
        JsonNode error = answer.json().path("error");
        assertThat(error.path("code").asText()).as(answer.text()).isEqualTo(code);
        assertThat(error.path("message").asText()).isNotBlank();
        assertThat(error.path("requestId").asText()).isNotBlank();
        assertThat(answer.text()).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
