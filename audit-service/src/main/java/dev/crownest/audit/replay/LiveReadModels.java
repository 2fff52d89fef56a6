package dev.crownest.audit.replay;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.security.InternalHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/** sandbox-service's live read models of one tenant, over HTTP ({@code GET /internal/read-models/snapshot}). */
@Component
@EnableConfigurationProperties(SandboxServiceProperties.class)
class LiveReadModels {
    private static final Logger log = LoggerFactory.getLogger(LiveReadModels.class);
    private final RestClient client;

    LiveReadModels(RestClient.Builder builder, SandboxServiceProperties properties) {
        SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
        requests.setConnectTimeout(properties.timeout());
        requests.setReadTimeout(properties.timeout());
        this.client = builder.baseUrl(properties.url().toString())
                .requestFactory(requests)
                .build();
    }

    ReadModels fetch(String tenant, String requestId) {
        try {
            ReadModels snapshot = client.get()
                    .uri("/internal/read-models/snapshot")
                    .header(InternalHeaders.TENANT_ID, tenant)
                    .headers(h -> {
                        if (requestId != null) {
                            h.set(InternalHeaders.REQUEST_ID, requestId);
                        }
                    })
                    .retrieve()
                    .body(ReadModels.class);
            if (snapshot == null) {
                throw new RestClientException("empty body");
            }
            return snapshot;
        } catch (RestClientException e) {
            log.warn("read-model snapshot from sandbox-service failed: {}", e.getMessage());
            throw new ApiException(
                    HttpStatus.BAD_GATEWAY.value(),
                    "upstream",
                    "read_models_unavailable",
                    "sandbox-service did not give its read-model snapshot");
        }
    }
}
