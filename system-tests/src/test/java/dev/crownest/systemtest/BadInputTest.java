package dev.crownest.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bad input gets the one JSON error shape, the right status, and changes nothing. */
class BadInputTest {

    private static PlatformClient api;

    @BeforeAll
    static void connect() {
        api = SystemUnderTest.client();
    }

    private static void assertError(PlatformClient.Answer answer, int status, String code) {
        assertThat(answer.status()).as(answer.raw()).isEqualTo(status);
        JsonNode error = answer.body().path("error");
        assertThat(error.path("type").asText()).isNotBlank();
        assertThat(error.path("code").asText()).isEqualTo(code);
        assertThat(error.path("message").asText()).isNotBlank();
        assertThat(error.path("requestId").asText()).isNotBlank();
        assertThat(answer.raw()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void missingOrUnknownKeyIs401() {
        assertError(api.withKey(null).get("/v1/sandboxes"), 401, "missing_api_key");
        assertError(api.withKey("cn_live_notakeyatall").get("/v1/sandboxes"), 401, "invalid_api_key");
        assertError(api.withKey(null).post("/v1/sandboxes", Map.of("template", "base")), 401, "missing_api_key");
    }

    @Test
    void badCreatesAre400AndCreateNothing() {
        int before = api.get("/v1/sandboxes").body().path("data").size();
        assertError(api.postRaw("/v1/sandboxes", "{\"template\": \"base\""), 400, "invalid_json");
        assertError(api.post("/v1/sandboxes", Map.of("template", "no-such-template")), 400, "unknown_template");
        assertError(api.post("/v1/sandboxes", Map.of("template", "base", "ttlMs", -5)), 400, "invalid_ttl");
        assertThat(api.get("/v1/sandboxes").body().path("data").size()).isEqualTo(before);
    }

    @Test
    void unknownSandboxIs404() {
        assertError(api.get("/v1/sandboxes/sbx_doesnotexist0000000"), 404, "sandbox_not_found");
        assertError(api.delete("/v1/sandboxes/sbx_doesnotexist0000000"), 404, "sandbox_not_found");
        assertError(api.run("sbx_doesnotexist0000000", "true"), 404, "sandbox_not_found");
    }

    @Test
    void unknownRouteIs404InTheErrorShape() {
        assertError(api.get("/v1/no-such-thing"), 404, "route_not_found");
    }
}
