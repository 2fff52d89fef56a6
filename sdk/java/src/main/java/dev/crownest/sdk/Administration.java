package dev.crownest.sdk;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code client.admin()}: the operator's and tenant admins' calls, made with a session token
 * ({@link CrowNest.Builder#sessionToken}), never an API key. The operator (its {@code CROWNEST_ADMIN_TOKEN})
 * makes tenants; a tenant admin (the token a tenant's create answers) makes projects and keys.
 *
 * <pre>{@code
 * CrowNest operator = CrowNest.builder().sessionToken(adminToken).build();
 * Tenant acme = operator.admin().createTenant("acme", "pro");
 * CrowNest admin = CrowNest.builder().sessionToken(acme.adminToken()).build();
 * Project web = admin.admin().createProject("web");
 * ApiKey key = admin.admin().createKey("ci", List.of("sandboxes:create", "commands:run"), web.id());
 * }</pre>
 */
public final class Administration {

    private final Transport http;

    Administration(Transport http) {
        this.http = http;
    }

    /** The operator: a new tenant on {@code plan}, with its admin's session token (shown once). */
    public Tenant createTenant(String name, String plan) {
        return http.call("POST", "/v1/tenants")
                .json(Map.of("name", name, "plan", plan))
                .idempotent()
                .as(Tenant.class);
    }

    /** The operator: every tenant. */
    public Page<Tenant> listTenants() {
        return http.call("GET", "/v1/tenants").as(new TypeReference<Page<Tenant>>() {});
    }

    /** A tenant admin: a new project of the admin's tenant. */
    public Project createProject(String name) {
        return http.call("POST", "/v1/projects")
                .json(Map.of("name", name))
                .idempotent()
                .as(Project.class);
    }

    /** A tenant admin: the tenant's projects. */
    public Page<Project> listProjects() {
        return http.call("GET", "/v1/projects").as(new TypeReference<Page<Project>>() {});
    }

    /** A tenant admin: one project of the tenant. */
    public Project getProject(String projectId) {
        return http.call("GET", "/v1/projects/" + Transport.seg(projectId)).as(Project.class);
    }

    /**
     * A tenant admin: a new API key with {@code scopes} (e.g. {@code sandboxes:create}), restricted to
     * {@code projectId} unless null. Its secret ({@link ApiKey#key()}) is in this answer only.
     */
    public ApiKey createKey(String name, List<String> scopes, String projectId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("scopes", scopes);
        if (projectId != null) {
            body.put("projectId", projectId);
        }
        return http.call("POST", "/v1/keys").json(body).idempotent().as(ApiKey.class);
    }

    /** A tenant admin: the tenant's keys (no secrets). */
    public Page<ApiKey> listKeys() {
        return http.call("GET", "/v1/keys").as(new TypeReference<Page<ApiKey>>() {});
    }

    /** A tenant admin: one key's record (never its secret). */
    public ApiKey getKey(String keyId) {
        return http.call("GET", "/v1/keys/" + Transport.seg(keyId)).as(ApiKey.class);
    }

    /** A tenant admin: revokes a key; calls with it answer 401 from then on. */
    public ApiKey revokeKey(String keyId) {
        return http.call("DELETE", "/v1/keys/" + Transport.seg(keyId))
                .idempotent()
                .as(ApiKey.class);
    }

    /** The quotas in force (a tenant admin: the tenant's and its projects'). */
    public JsonNode quotas() {
        return http.call("GET", "/v1/quotas").json();
    }
}
