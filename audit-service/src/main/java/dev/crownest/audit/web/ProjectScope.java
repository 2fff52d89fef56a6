package dev.crownest.audit.web;

import java.util.List;

/**
 * The rows of {@code audit_event} a project-restricted key may see (issue 15, F2): those that name
 * its project ({@code payload.projectId}), and those about one of its sandboxes, by resource id or
 * by {@code payload.sandboxId} (commands, previews, files). A sandbox's project is the one its
 * {@code sandbox.created} row names, so rows written before this rule are scoped alike. Tenant-wide
 * rows (keys of the whole tenant, invoices, admin sessions) are not a project's.
 *
 * <p>One SQL condition, appended by every query of the log: events, export, tombstones, verify.
 */
public final class ProjectScope {
    private static final String SANDBOXES_OF_PROJECT =
            // the action of a SandboxCreated row (AuditActions.SANDBOX_CREATED; spelled here so this web
            // rule stays below the log package, which uses it)
            "SELECT c.resource_id FROM audit_event c WHERE c.tenant_id = ? AND c.action = 'sandbox.created'"
                    + " AND c.payload ->> 'projectId' = ?";

    private ProjectScope() {}

    /**
     * Appends {@code AND (...)} for {@code project} on the rows of alias {@code table} (a column
     * prefix such as {@code "e."}, or {@code ""}) and its arguments; nothing when {@code project}
     * is null (a key of the whole tenant).
     */
    public static void restrict(StringBuilder sql, List<Object> args, String table, String tenant, String project) {
        if (project == null) {
            return;
        }
        sql.append(" AND (")
                .append(table)
                .append("payload ->> 'projectId' = ? OR ")
                .append(table)
                .append("resource_id IN (")
                .append(SANDBOXES_OF_PROJECT)
                .append(") OR ")
                .append(table)
                .append("payload ->> 'sandboxId' IN (")
                .append(SANDBOXES_OF_PROJECT)
                .append("))");
        args.addAll(List.of(project, tenant, project, tenant, project));
    }
}
