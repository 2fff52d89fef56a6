package dev.crownest.audit.log;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.audit.web.ProjectScope;
import dev.crownest.audit.web.QueryParameters;
import dev.crownest.kit.caller.Caller;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Queries of a tenant's audit log: {@code GET /internal/audit/events} (filters and cursor
 * pagination by seq) and {@code GET /internal/audit/verify}.
 */
@RestController
class AuditController {
    private static final int MAX_LIMIT = 1000;
    private final JdbcTemplate jdbc;
    private final ChainVerifier verifier;
    private final ObjectMapper json;

    AuditController(JdbcTemplate jdbc, ChainVerifier verifier, ObjectMapper json) {
        this.jdbc = jdbc;
        this.verifier = verifier;
        this.json = json;
    }

    /**
     * Rows in seq order, {@code limit} at a time (default 100, at most 1000). {@code nextCursor} is
     * the seq to pass as {@code cursor} for the next page, {@code null} on the last page.
     */
    @GetMapping("/internal/audit/events")
    Map<String, Object> events(
            Caller caller,
            @RequestParam(required = false) String resourceId,
            @RequestParam(required = false) String actor,
            @RequestParam(required = false) String action,
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String limit,
            @RequestParam(required = false) String cursor) {
        int pageSize = (int) QueryParameters.number("limit", limit, 1, MAX_LIMIT, 100);
        long after = QueryParameters.number("cursor", cursor, 0, Long.MAX_VALUE, 0);
        Timestamp fromTime = QueryParameters.time("from", from);
        Timestamp toTime = QueryParameters.time("to", to);
        QueryParameters.range(fromTime, toTime);
        StringBuilder sql = new StringBuilder("""
                SELECT id, seq, tenant_id, action, resource_id, actor, occurred_at, event_id::text AS event_id,
                       payload::text AS payload, hash, prev_hash FROM audit_event WHERE tenant_id = ? AND seq > ?""");
        List<Object> args = new ArrayList<>(List.of(caller.tenant(), after));
        filter(sql, args, "resource_id = ?", resourceId);
        filter(sql, args, "actor = ?", actor);
        filter(sql, args, "action = ?", action);
        filter(sql, args, "occurred_at >= ?", fromTime);
        filter(sql, args, "occurred_at < ?", toTime);
        ProjectScope.restrict(sql, args, "", caller.tenant(), caller.project());
        // One more than asked: tells whether there is a next page without a count.
        sql.append(" ORDER BY seq LIMIT ").append(pageSize + 1);
        List<Map<String, Object>> data = jdbc.query(
                sql.toString(),
                (rs, i) -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("id", rs.getLong("id"));
                    row.put("seq", rs.getLong("seq"));
                    row.put("tenantId", rs.getString("tenant_id"));
                    row.put("action", rs.getString("action"));
                    row.put("resourceId", rs.getString("resource_id"));
                    row.put("actor", rs.getString("actor"));
                    row.put("occurredAt", rs.getTimestamp("occurred_at").toInstant());
                    row.put("eventId", rs.getString("event_id"));
                    try {
                        // rows older than the redaction rule are redacted here (SecretRedaction)
                        row.put(
                                "payload",
                                SecretRedaction.redact(json.readValue(rs.getString("payload"), Object.class)));
                    } catch (JsonProcessingException e) {
                        row.put("payload", rs.getString("payload"));
                    }
                    row.put("hash", rs.getString("hash").trim());
                    row.put("prevHash", rs.getString("prev_hash").trim());
                    return row;
                },
                args.toArray());
        Long nextCursor = null;
        if (data.size() > pageSize) {
            data = data.subList(0, pageSize);
            nextCursor = (Long) data.getLast().get("seq");
        }
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("data", data);
        page.put("nextCursor", nextCursor);
        return page;
    }

    /**
     * {@code {valid, checked, firstInvalidSeq}}. The chain is the tenant's, so it is verified whole;
     * a project-restricted key is told whether it holds and how many of its own project's rows it
     * covers, never where another project's row broke it.
     */
    @GetMapping("/internal/audit/verify")
    ChainVerifier.Verification verify(Caller caller) {
        ChainVerifier.Verification whole = verifier.verify(caller.tenant());
        if (caller.project() == null) {
            return whole;
        }
        StringBuilder sql = new StringBuilder("SELECT count(*) FROM audit_event WHERE tenant_id = ?");
        List<Object> args = new ArrayList<>(List.of(caller.tenant()));
        ProjectScope.restrict(sql, args, "", caller.tenant(), caller.project());
        Long own = jdbc.queryForObject(sql.toString(), Long.class, args.toArray());
        return new ChainVerifier.Verification(whole.valid(), own == null ? 0 : own, null);
    }

    private static void filter(StringBuilder sql, List<Object> args, String clause, Object value) {
        if (value != null && !(value instanceof String s && s.isEmpty())) {
            sql.append(" AND ").append(clause);
            args.add(value);
        }
    }
}
