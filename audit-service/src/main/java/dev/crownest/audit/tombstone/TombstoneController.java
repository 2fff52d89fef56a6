package dev.crownest.audit.tombstone;

import dev.crownest.audit.web.ProjectScope;
import dev.crownest.audit.web.QueryParameters;
import dev.crownest.kit.caller.Caller;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /internal/audit/tombstones?resourceId=&limit=}: what of the tenant's was killed,
 * expired, revoked or voided, newest last, each pointing at its audit row ({@code auditSeq}).
 */
@RestController
class TombstoneController {
    /** One tombstone as the API shows it. */
    record TombstoneView(
            String resourceId,
            String resourceKind,
            String action,
            String actor,
            Instant occurredAt,
            String reason,
            long auditSeq,
            String auditHash,
            String eventId) {}

    private final JdbcTemplate jdbc;

    TombstoneController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping("/internal/audit/tombstones")
    Map<String, List<TombstoneView>> tombstones(
            Caller caller,
            @RequestParam(required = false) String resourceId,
            @RequestParam(required = false) String limit) {
        long max = QueryParameters.number("limit", limit, 1, 1000, 100);
        List<Object> args = new ArrayList<>(List.of(caller.tenant()));
        String byResource = "";
        if (resourceId != null && !resourceId.isEmpty()) {
            byResource = " AND t.resource_id = ?";
            args.add(resourceId);
        }
        StringBuilder scope = new StringBuilder();
        ProjectScope.restrict(scope, args, "e.", caller.tenant(), caller.project());
        byResource += scope;
        args.add(max);
        List<TombstoneView> data = jdbc.query(
                """
                SELECT t.resource_id, t.resource_kind, t.action, t.actor, t.occurred_at, t.reason, t.audit_seq,
                       e.hash, t.event_id::text AS event_id
                FROM audit_tombstone t JOIN audit_event e ON e.tenant_id = t.tenant_id AND e.seq = t.audit_seq
                WHERE t.tenant_id = ?""" + byResource + " ORDER BY t.audit_seq LIMIT ?",
                (rs, i) -> new TombstoneView(
                        rs.getString("resource_id"),
                        rs.getString("resource_kind"),
                        rs.getString("action"),
                        rs.getString("actor"),
                        rs.getTimestamp("occurred_at").toInstant(),
                        rs.getString("reason"),
                        rs.getLong("audit_seq"),
                        rs.getString("hash").trim(),
                        rs.getString("event_id")),
                args.toArray());
        return Map.of("data", data);
    }
}
