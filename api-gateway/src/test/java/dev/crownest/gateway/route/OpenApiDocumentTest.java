package dev.crownest.gateway.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crownest.contracts.security.Scopes;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.server.ServerResponse;

class OpenApiDocumentTest {

    @Test
    void aRouteWithoutDocsStopsTheDocumentFromBeingBuilt() {
        var undocumented = new ApiRoute(
                HttpMethod.POST,
                "/v1/sandboxes/{id}/teleport",
                Scopes.SANDBOXES_CREATE,
                request -> ServerResponse.ok().build());
        assertThatThrownBy(() -> OpenApiDocument.build(List.of(undocumented), List.of()))
                .hasMessageContaining("POST /v1/sandboxes/{id}/teleport");
    }

    @Test
    void aRouteInBothTablesIsOneOperationWithEitherCredential() {
        var tenant = new ApiRoute(
                HttpMethod.GET,
                "/v1/quotas",
                Scopes.USAGE_READ,
                request -> ServerResponse.ok().build());
        var admin = new ApiRoute(
                HttpMethod.GET,
                "/v1/quotas",
                null,
                request -> ServerResponse.ok().build());
        var operation = OpenApiDocument.build(List.of(tenant), List.of(admin))
                .getPaths()
                .get("/v1/quotas")
                .getGet();
        assertThat(operation.getSecurity()).hasSize(2);
        assertThat(operation.getExtensions()).containsEntry("x-required-scope", Scopes.USAGE_READ);
        assertThat(operation.getParameters()).extracting("name").contains("projectId", "tenantId");
    }
}
