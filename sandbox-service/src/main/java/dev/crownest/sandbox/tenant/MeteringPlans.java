package dev.crownest.sandbox.tenant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.api.TenantPricingView;
import dev.crownest.contracts.security.InternalHeaders;
import dev.crownest.sandbox.quota.MeteringProperties;
import dev.crownest.sandbox.quota.MeteringRefusals;
import java.time.Duration;
import java.util.function.Supplier;
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
 * A tenant's plan and pricing pin are facts of the Tenant aggregate ({@code TenantCreated}, {@code
 * TenantPlanChanged}, {@code TenantPricingPinned}) that metering follows from {@code key-events}. Metering alone
 * knows which plans are configured and which pricing versions are published, so a plan or version is checked there
 * before anything is recorded ({@link #require}, {@link #requirePricingVersion}: a wrong one is a 4xx with nothing
 * recorded), and a change answers once metering applies it ({@link #awaitFollowed}, {@link #awaitPinned}), so the
 * caller's next create is admitted and rated under it.
 */
@Component
class MeteringPlans {
    private static final Logger log = LoggerFactory.getLogger(MeteringPlans.class);
    private static final long POLL_MILLIS = 20;
    /** What a plan's name can be (metering's configuration keys). */
    private static final Pattern PLAN_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    /** What a pricing version's id can be (metering's rule). */
    private static final Pattern VERSION_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

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
        check("/internal/plans/{plan}", plan);
    }

    /**
     * 404 {@code pricing_version_not_found} unless metering published this version (400 {@code
     * invalid_pricing_version} for what can be no version's id); 503 {@code metering_unavailable} if it cannot say.
     */
    void requirePricingVersion(String version) {
        if (version == null || !VERSION_ID.matcher(version).matches()) {
            throw ApiException.badRequest(
                    "invalid_pricing_version",
                    "pricingVersion must name a published version (GET /v1/pricing-versions)");
        }
        if (!properties.admissionEnabled()) {
            // without metering nothing is rated, so nothing can be pinned either
            throw unavailable();
        }
        check("/internal/pricing-versions/{id}", version);
    }

    /**
     * Waits, at most {@code crownest.metering.plan-follow-timeout}, until metering answers {@code plan} for
     * the tenant. Past it the plan still arrives (it is recorded and published); only the answer stops waiting.
     */
    void awaitFollowed(String tenantId, String plan) {
        if (properties.admissionEnabled()) {
            await(() -> field("/internal/quotas", tenantId, "plan"), plan, tenantId);
        }
    }

    /**
     * As {@link #awaitFollowed}, for a pin; answers metering's view of it (with the second it applies from), or,
     * when metering has not applied it within the wait, the pin without {@code effectiveFrom} (it still arrives:
     * it is recorded and published, and applies from the first second after metering takes it).
     */
    TenantPricingView awaitPinned(String tenantId, String version) {
        await(() -> field("/internal/tenants/{id}/pricing", tenantId, "pricingVersion"), version, tenantId);
        try {
            TenantPricingView seen = metering.get()
                    .uri("/internal/tenants/{id}/pricing", tenantId)
                    .retrieve()
                    .body(TenantPricingView.class);
            if (seen != null && version.equals(seen.pricingVersion())) {
                return seen;
            }
        } catch (RuntimeException e) {
            // metering busy or away: the pin is recorded all the same
        }
        return new TenantPricingView(tenantId, version, null);
    }

    private void check(String uri, String name) {
        if (!properties.admissionEnabled()) {
            return; // a deployment without metering has no quotas, hence no plans to check
        }
        try {
            metering.get()
                    .uri(uri, name)
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

    private void await(Supplier<String> current, String expected, String tenantId) {
        long deadline = System.nanoTime() + followTimeout.toNanos();
        do {
            if (expected.equals(current.get())) {
                return;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        } while (System.nanoTime() < deadline);
        log.warn("metering has not applied {} of tenant {} within {}", expected, tenantId, followTimeout);
    }

    /** A field of metering's answer about the tenant ({@code uri} may name it as its one variable). */
    private String field(String uri, String tenantId, String name) {
        try {
            JsonNode answer = metering.get()
                    .uri(uri, tenantId)
                    .header(InternalHeaders.TENANT_ID, tenantId)
                    .retrieve()
                    .body(JsonNode.class);
            return answer == null ? null : answer.path(name).asText(null);
        } catch (RuntimeException e) {
            return null; // metering busy or away: keep waiting until the deadline
        }
    }

    private static ApiException unavailable() {
        return ApiException.unavailable(
                "metering_unavailable", "metering cannot check this right now; nothing was changed, retry shortly");
    }
}
