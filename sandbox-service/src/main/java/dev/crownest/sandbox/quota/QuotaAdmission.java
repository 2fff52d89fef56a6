package dev.crownest.sandbox.quota;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.security.InternalHeaders;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * Asks metering-service whether a create fits the tenant's and project's quotas before the
 * sandbox exists. Fails closed: without an answer nothing is created (503), because a quota
 * nobody checks is no quota. Metering's refusal (402/429) reaches the caller as it was given.
 */
@Component
public class QuotaAdmission {
    private final MeteringProperties properties;
    private final RestClient metering;
    private final ObjectMapper json;

    public QuotaAdmission(MeteringProperties properties, RestClient.Builder builder, ObjectMapper json) {
        this.properties = properties;
        this.json = json;
        SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
        requests.setConnectTimeout(Duration.ofSeconds(2));
        requests.setReadTimeout(Duration.ofSeconds(5));
        this.metering = builder.baseUrl(properties.admissionEnabled() ? properties.url() : "http://unused")
                .requestFactory(requests)
                .build();
    }

    public void admit(AdmissionRequest request) {
        if (!properties.admissionEnabled()) {
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sandboxId", request.sandboxId());
        body.put("projectId", request.projectId());
        body.put("vcpu", request.vcpu());
        body.put("memoryMb", request.memoryMb());
        body.put("ttlMs", request.ttlMs());
        call(() -> metering.post()
                .uri("/internal/quotas/admissions")
                .header(InternalHeaders.TENANT_ID, request.tenantId())
                .contentType(MediaType.APPLICATION_JSON)
                .body(body)
                .retrieve()
                .onStatus(HttpStatusCode::isError, (req, res) -> {
                    throw refusal(res.getStatusCode(), res.getBody().readAllBytes());
                })
                .toBodilessEntity());
    }

    /** Gives the admission back after the create was rejected; best effort, the admission also lapses at its TTL. */
    public void release(AdmissionRequest request) {
        if (!properties.admissionEnabled()) {
            return;
        }
        try {
            metering.delete()
                    .uri("/internal/quotas/admissions/{id}", request.sandboxId())
                    .header(InternalHeaders.TENANT_ID, request.tenantId())
                    .retrieve()
                    .toBodilessEntity();
        } catch (RuntimeException ignored) {
            // the allocation frees itself when its TTL passes
        }
    }

    private void call(Runnable request) {
        try {
            request.run();
        } catch (ResourceAccessException e) {
            throw unavailable();
        }
    }

    private static ApiException unavailable() {
        return ApiException.unavailable(
                "quota_unavailable", "quotas cannot be checked right now; nothing was created, retry shortly");
    }

    private ApiException refusal(HttpStatusCode status, byte[] body) {
        return MeteringRefusals.clientError(json, status, body, "quota").orElseGet(QuotaAdmission::unavailable);
    }
}
