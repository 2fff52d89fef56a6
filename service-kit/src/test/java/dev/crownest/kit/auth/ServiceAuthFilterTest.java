package dev.crownest.kit.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.security.InternalHeaders;
import dev.crownest.contracts.security.ServiceTokens;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;

/**
 * The door of the servlet services: every route, known or not, is 401 in the error shape without a valid
 * token, and reached with one; only plain health stays open.
 */
class ServiceAuthFilterTest {
    private static final String SECRET = "k".repeat(40);
    private final ServiceTokens tokens = new ServiceTokens(SECRET, Clock.systemUTC());
    private final MockMvc mvc = MockMvcBuilders.standaloneSetup(new Routes())
            .addFilters(new ServiceAuthFilter(tokens, new ObjectMapper()))
            .build();

    @RestController
    static class Routes {
        @GetMapping("/internal/tenants")
        String tenants(@RequestAttribute(ServiceAuthFilter.CALLER) String caller) {
            return "tenants for " + caller;
        }

        @PostMapping("/internal/new-route-added-later")
        String later() {
            return "reached";
        }

        @GetMapping("/actuator/health")
        String health() {
            return "{\"status\":\"UP\"}";
        }
    }

    @Test
    void withoutATokenEveryRouteIs401InTheErrorShape() throws Exception {
        for (String path : List.of("/internal/tenants", "/node/v1/sandboxes/sbx_1/files", "/no-such-route")) {
            mvc.perform(get(path).header(InternalHeaders.REQUEST_ID, "req_1"))
                    .andExpect(status().isUnauthorized())
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                    .andExpect(jsonPath("$.error.type").value("authentication"))
                    .andExpect(jsonPath("$.error.code").value("service_token_missing"))
                    .andExpect(jsonPath("$.error.requestId").value("req_1"));
        }
        mvc.perform(post("/internal/new-route-added-later")).andExpect(status().isUnauthorized());
    }

    @Test
    void forgedAndExpiredTokensAre401AndAValidOneReachesTheRoute() throws Exception {
        String forged = new ServiceTokens("f".repeat(40), Clock.systemUTC()).mint("api-gateway", Duration.ofMinutes(5));
        String expired = new ServiceTokens(SECRET, Clock.fixed(Instant.now().minusSeconds(600), ZoneOffset.UTC))
                .mint("api-gateway", Duration.ofMinutes(5));

        mvc.perform(get("/internal/tenants").header(InternalHeaders.SERVICE_TOKEN, forged))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.error.code").value("service_token_invalid"));
        mvc.perform(get("/internal/tenants").header(InternalHeaders.SERVICE_TOKEN, expired))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.error.code").value("service_token_expired"));
        mvc.perform(get("/internal/tenants")
                        .header(InternalHeaders.SERVICE_TOKEN, tokens.mint("api-gateway", Duration.ofMinutes(5))))
                .andExpect(status().isOk())
                .andExpect(content().string("tenants for api-gateway"));
    }

    @Test
    void onlyPlainHealthIsOpen() throws Exception {
        mvc.perform(get("/actuator/health")).andExpect(status().isOk());
        mvc.perform(post("/actuator/health")).andExpect(status().isUnauthorized());
        mvc.perform(get("/actuator/health/../../internal/tenants")).andExpect(status().isUnauthorized());
        mvc.perform(get("/actuator/health;x=1")).andExpect(status().isUnauthorized());
    }

    @Test
    void theCredentialGoesToInternalHostsOnlyAndIsRenewedBeforeItRunsOut() {
        Instant start = Instant.parse("2026-12-07T04:00:00Z");
        MovableClock clock = new MovableClock(start);
        ServiceCredential credential = new ServiceCredential(
                new ServiceTokens(SECRET, clock), "execution-worker", Duration.ofMinutes(3), clock, List.of("node-7"));

        assertThat(credential.isFor(URI.create("http://127.0.0.1:8081/x"))).isTrue();
        assertThat(credential.isFor(URI.create("http://localhost:8083/x"))).isTrue();
        assertThat(credential.isFor(URI.create("http://[::1]:8083/x"))).isTrue();
        assertThat(credential.isFor(URI.create("http://NODE-7:8083/x"))).isTrue();
        assertThat(credential.isFor(URI.create("http://127.evil.example/x"))).isFalse();
        assertThat(credential.isFor(URI.create("https://api.stripe.com/v1"))).isFalse();

        String first = credential.token();
        clock.now = start.plusSeconds(119);
        assertThat(credential.token()).isEqualTo(first);
        clock.now = start.plusSeconds(120); // two thirds of its life: a new one
        assertThat(credential.token()).isNotEqualTo(first);
    }

    /** A clock a test moves. */
    private static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
