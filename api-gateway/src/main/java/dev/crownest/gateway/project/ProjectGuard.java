package dev.crownest.gateway.project;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.gateway.key.ApiKeyAuthentication;
import dev.crownest.gateway.key.ApiKeyGrant;
import dev.crownest.gateway.key.OperatorAuthentication;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * The gateway's one check of the tenant and project a request names (issue 15, F2, F8, F9), before
 * any service sees it:
 *
 * <ul>
 *   <li>a {@code projectId} query parameter must be a project of the caller's tenant, and the key's own
 *       project when the key is restricted: otherwise 404 {@code project_not_found} (another tenant's
 *       project is not found, as its sandboxes are not);
 *   <li>the operator's {@code tenantId} must name a tenant: otherwise 404 {@code tenant_not_found};
 *   <li>a {@link ProjectHandling#TENANT} route refuses a project-restricted key (403).
 * </ul>
 *
 * The services still scope every read by the {@code X-CrowNest-Project} header themselves; this is
 * where a made-up id is refused, once for every route.
 */
@Component
public class ProjectGuard {
    private final ProjectDirectory directory;

    public ProjectGuard(ProjectDirectory directory) {
        this.directory = directory;
    }

    /** Wraps a route's handler (behind authentication) with the checks above. */
    public HandlerFunction<ServerResponse> guard(ProjectHandling handling, HandlerFunction<ServerResponse> handler) {
        return request -> {
            ApiKeyGrant grant = ApiKeyAuthentication.grant(request);
            if (handling == ProjectHandling.TENANT && grant.projectId() != null) {
                return Mono.error(new ApiException(
                        HttpStatus.FORBIDDEN.value(),
                        "permission",
                        "project_key_not_allowed",
                        "this is the tenant's, not a project's: use a key of the whole tenant"));
            }
            return checkTenant(request, grant)
                    .then(checkProject(request, grant))
                    .then(Mono.defer(() -> handler.handle(request)));
        };
    }

    private Mono<Void> checkTenant(ServerRequest request, ApiKeyGrant grant) {
        String tenant = request.queryParam("tenantId").filter(t -> !t.isBlank()).orElse(null);
        if (tenant == null || !OperatorAuthentication.OPERATOR.equals(grant.keyId())) {
            return Mono.empty(); // a tenant admin naming another tenant is refused by OperatorAuthentication
        }
        return directory
                .tenantExists(tenant)
                .flatMap(exists -> exists
                        ? Mono.empty()
                        : Mono.error(ApiException.notFound("tenant_not_found", "no tenant " + tenant)));
    }

    private Mono<Void> checkProject(ServerRequest request, ApiKeyGrant grant) {
        String project =
                request.queryParam("projectId").filter(p -> !p.isBlank()).orElse(null);
        if (project == null) {
            return Mono.empty();
        }
        ApiException notFound = ApiException.notFound("project_not_found", "no project " + project);
        if (grant.projectId() != null && !grant.projectId().equals(project)) {
            return Mono.error(notFound);
        }
        if (grant.tenantId() == null) {
            return Mono.error(ApiException.badRequest("tenant_required", "name the tenant with ?tenantId="));
        }
        return directory
                .projectExists(grant.tenantId(), project)
                .flatMap(exists -> exists ? Mono.empty() : Mono.error(notFound));
    }
}
