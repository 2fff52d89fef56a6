package dev.crownest.gateway.project;

/**
 * How a tenant route keeps a project-restricted key to its project (issue 15, item 2), published as
 * the route's {@code x-project-scope} in the OpenAPI document, which the system tests' project matrix
 * walks. Every tenant route declares one; a route without it fails that matrix.
 */
public enum ProjectHandling {
    /** Under {@code /v1/sandboxes/{id}}: another project's sandbox answers 404, as another tenant's. */
    SANDBOX,
    /** Answers only the key's project; a {@code projectId} naming another one is 404 {@code project_not_found}. */
    FILTERED,
    /** Tenant-wide data (the credit account): a project-restricted key gets 403 {@code project_key_not_allowed}. */
    TENANT;

    /** The value of {@code x-project-scope}. */
    public String wire() {
        return name().toLowerCase();
    }
}
