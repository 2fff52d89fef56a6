package dev.crownest.kit.caller;

import dev.crownest.contracts.api.ApiException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Who an internal call comes from, as the gateway named it in the {@code InternalHeaders} once it
 * authenticated the caller. A controller takes it as a parameter instead of reading the headers: the
 * resolver ({@link CallerArgumentResolver}) refuses a call without a tenant (401 {@code missing_tenant})
 * unless the parameter is marked {@link NoTenant}. Blank headers count as absent.
 *
 * @param tenant    the tenant every read and write is scoped to; null only on a {@link NoTenant} route
 * @param project   the one project a project-restricted key may see, or null
 * @param actor     the acting API key id, admin session id or {@code operator}, or null when none was named
 * @param requestId the gateway's id of the public request, for error answers and calls onwards, or null
 */
public record Caller(String tenant, String project, String actor, String requestId) {
    /** The actor recorded for a call that names none. */
    public static final String UNKNOWN_ACTOR = "unknown";

    public Caller {
        tenant = blankToNull(tenant);
        project = blankToNull(project);
        actor = blankToNull(actor);
        requestId = blankToNull(requestId);
    }

    /** The actor, or {@value #UNKNOWN_ACTOR} when the call names none: what events record as their actor. */
    public String actorOrUnknown() {
        return actorOr(UNKNOWN_ACTOR);
    }

    /** The actor, or {@code fallback} when the call names none. */
    public String actorOr(String fallback) {
        return actor == null ? fallback : actor;
    }

    /**
     * The project a query is about: a project-restricted caller's own (naming another one is 404
     * {@code project_not_found}, as another tenant's resources are), else the {@code requested} one
     * (blank = none, the whole tenant).
     */
    public String projectOr(String requested) {
        String asked = blankToNull(requested);
        if (project == null) {
            return asked;
        }
        if (asked != null && !asked.equals(project)) {
            throw ApiException.notFound("project_not_found", "no project " + asked);
        }
        return project;
    }

    /**
     * The rule the headers follow, for query parameters and body fields that name the same things (a
     * {@code projectId} filter): a blank value is an absent one.
     */
    public static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /**
     * Marks a {@link Caller} parameter of a route that acts on no tenant named in the headers (the
     * operator's platform routes, such as creating a tenant): the call is taken without one.
     */
    @Target(ElementType.PARAMETER)
    @Retention(RetentionPolicy.RUNTIME)
    public @interface NoTenant {}
}
