package dev.crownest.sandbox.tenant;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.security.InternalHeaders;
import dev.crownest.sandbox.quota.MeteringProperties;
import dev.crownest.sandbox.quota.MeteringRefusals;
import java.time.Duration;
import java.util.Map;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * Assigns a new tenant's plan in metering-service ({@code PUT /internal/quotas {plan}}) BEFORE the
 * tenant exists. Metering alone knows which plans are configured, so asking it first turns a wrong
 * plan into a 400 with nothing created; a tenant is never left without the plan it was created on.
 * If the create fails afterwards, all that remains is a plan row for an id nobody holds.
 */
@Component
class MeteringPlans {
    private final MeteringProperties properties;
    private final RestClient metering;
    private final ObjectMapper json;

    MeteringPlans(MeteringProperties properties, RestClient.Builder builder, ObjectMapper json) {
        this.properties = properties;
        this.json = json;
        SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
        requests.setConnectTimeout(Duration.ofSeconds(2));
        requests.setReadTimeout(Duration.ofSeconds(5));
        this.metering = builder.baseUrl(properties.admissionEnabled() ? properties.url() : "http://unused")
                .requestFactory(requests)
                .build();
    }

    void assign(String tenantId, String plan, String actor) {
        if (!properties.admissionEnabled()) {
            return; // a deployment without metering has no quotas, hence no plans to assign
        }
        try {
            metering.put()
                    .uri("/internal/quotas")
                    .header(InternalHeaders.TENANT_ID, tenantId)
                    .header(InternalHeaders.ACTOR, actor)
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(Map.of("plan", plan))
                    .retrieve()
                    .onStatus(HttpStatusCode::isError, (req, res) -> {
                        throw refusal(res.getStatusCode(), res.getBody().readAllBytes());
                    })
                    .toBodilessEntity();
        } catch (ResourceAccessException e) {
            throw unavailable();
        }
    }

    private ApiException refusal(HttpStatusCode status, byte[] body) {
        return MeteringRefusals.clientError(json, status, body, "invalid_request")
                .orElseGet(MeteringPlans::unavailable);
    }

    private static ApiException unavailable() {
        return ApiException.unavailable(
                "metering_unavailable",
                "the tenant's plan cannot be assigned right now; nothing was created, retry shortly");
    }
}
