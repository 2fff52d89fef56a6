package dev.crownest.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crownest.sdk.CrowNest;
import dev.crownest.sdk.RawResponse;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bad input gets the one JSON error shape, the right status, and changes nothing. */
class BadInputTest {

    private static CrowNest api;

    @BeforeAll
    static void connect() {
        api = SystemUnderTest.client();
    }

    private static void assertError(RawResponse answer, int status, String code) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(status);
        JsonNode error = answer.json().path("error");
        assertThat(error.path("type").asText()).isNotBlank();
        assertThat(error.path("code").asText()).isEqualTo(code);
        assertThat(error.path("message").asText()).isNotBlank();
        assertThat(error.path("requestId").asText()).isNotBlank();
        assertThat(answer.text()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void missingOrUnknownKeyIs401() {
        assertError(api.http().anonymous().send("GET", "/v1/sandboxes"), 401, "missing_api_key");
        assertError(
                SystemUnderTest.withKey("cn_live_notakeyatall").http().send("GET", "/v1/sandboxes"),
                401,
                "invalid_api_key");
        assertError(
                api.http().anonymous().send("POST", "/v1/sandboxes", Map.of("template", "base")),
                401,
                "missing_api_key");
    }

    @Test
    void badCreatesAre400AndCreateNothing() {
        int before = api.http().send("GET", "/v1/sandboxes").json().path("data").size();
        assertError(api.http().send("POST", "/v1/sandboxes", "{\"template\": \"base\""), 400, "invalid_json");
        assertError(
                api.http().send("POST", "/v1/sandboxes", Map.of("template", "no-such-template")),
                400,
                "unknown_template");
        assertError(
                api.http().send("POST", "/v1/sandboxes", Map.of("template", "base", "ttlMs", -5)), 400, "invalid_ttl");
        assertThat(api.http().send("GET", "/v1/sandboxes").json().path("data").size())
                .isEqualTo(before);
    }

    @Test
    void unknownSandboxIs404() {
        assertError(api.http().send("GET", "/v1/sandboxes/sbx_doesnotexist0000000"), 404, "sandbox_not_found");
        assertError(api.http().send("DELETE", "/v1/sandboxes/sbx_doesnotexist0000000"), 404, "sandbox_not_found");
        assertError(
                api.http()
                        .send(
                                "POST",
                                "/v1/sandboxes/" + "sbx_doesnotexist0000000" + "/commands",
                                Map.of("cmd", "true")),
                404,
                "sandbox_not_found");
    }

    @Test
    void unknownRouteIs404InTheErrorShape() {
        assertError(api.http().send("GET", "/v1/no-such-thing"), 404, "route_not_found");
    }
}
