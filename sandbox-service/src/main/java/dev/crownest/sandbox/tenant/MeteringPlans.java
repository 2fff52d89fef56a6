package dev.crownest.sandbox.tenant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.security.InternalHeaders;
import dev.crownest.sandbox.quota.MeteringProperties;
import dev.crownest.sandbox.quota.MeteringRefusals;
import java.time.Duration;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * A tenant's plan is a fact of the Tenant aggregate ({@code TenantCreated}, {@code TenantPlanChanged})
 * that metering follows from {@code key-events}. Metering alone knows which plans are configured, so a
 * plan is checked there before anything is recorded ({@link #require}: a wrong plan is a 400 with nothing
 * created), and a create or change answers once metering applies it ({@link #awaitFollowed}), so the
 * caller's next create is admitted under the new plan.
 */
@Component
class MeteringPlans {
    private static final Logger log = LoggerFactory.getLogger(MeteringPlans.class);
    private static final long POLL_MILLIS = 20;
    /** What a plan's name can be (metering's configuration keys). */
    private static final Pattern PLAN_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    private final MeteringProperties properties;
    private final RestClient metering;
    private final ObjectMapper json;
    private final Duration followTimeout;

    MeteringPlans(
            MeteringProperties properties,
            RestClient.Builder builder,
            ObjectMapper json,
            @Value("${crownest.metering.plan-follow-timeout:5s}") Duration followTimeout) {
        this.properties = properties;
        this.json = json;
        this.followTimeout = followTimeout;
        SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
        requests.setConnectTimeout(Duration.ofSeconds(2));
        requests.setReadTimeout(Duration.ofSeconds(5));
        this.metering = builder.baseUrl(properties.admissionEnabled() ? properties.url() : "http://unused")
                .requestFactory(requests)
                .build();
    }

    /** 400 {@code invalid_plan} unless metering has this plan; 503 {@code metering_unavailable} if it cannot say. */
    void require(String plan) {
        if (plan == null || !PLAN_NAME.matcher(plan).matches()) {
            // never a plan name, and not sent on: a path segment metering's server would refuse by itself
            throw ApiException.badRequest("invalid_plan", "plan must be one of the configured plans (e.g. free, pro)");
        }
        if (!properties.admissionEnabled()) {
            return; // a deployment without metering has no quotas, hence no plans to check
        }
        try {
            metering.get()
                    .uri("/internal/plans/{plan}", plan)
                    .retrieve()
                    .onStatus(HttpStatusCode::isError, (req, res) -> {
                        throw MeteringRefusals.clientError(
                                        json, res.getStatusCode(), res.getBody().readAllBytes(), "invalid_request")
                                .orElseGet(MeteringPlans::unavailable);
                    })
                    .toBodilessEntity();
        } catch (ResourceAccessException e) {
            throw unavailable();
        }
    }

    /**
     * Waits, at most {@code crownest.metering.plan-follow-timeout}, until metering answers {@code plan} for
     * the tenant. Past it the plan still arrives (it is recorded and published); only the answer stops waiting.
     */
    void awaitFollowed(String tenantId, String plan) {
        if (!properties.admissionEnabled()) {
            return;
        }
        long deadline = System.nanoTime() + followTimeout.toNanos();
        do {
            if (plan.equals(meteringPlan(tenantId))) {
                return;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        } while (System.nanoTime() < deadline);
        log.warn("metering has not applied plan {} of tenant {} within {}", plan, tenantId, followTimeout);
    }

    private String meteringPlan(String tenantId) {
        try {
            JsonNode quotas = metering.get()
                    .uri("/internal/quotas")
                    .header(InternalHeaders.TENANT_ID, tenantId)
                    .retrieve()
                    .body(JsonNode.class);
            return quotas == null ? null : quotas.path("plan").asText(null);
        } catch (RuntimeException e) {
            return null; // metering busy or away: keep waiting until the deadline
        }
    }

    private static ApiException unavailable() {
        return ApiException.unavailable(
                "metering_unavailable",
                "the tenant's plan cannot be checked right now; nothing was changed, retry shortly");
    }
}
