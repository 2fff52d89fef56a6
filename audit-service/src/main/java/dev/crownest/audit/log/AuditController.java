package dev.crownest.audit.log;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.security.InternalHeaders;
import dev.crownest.kit.ApiException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Queries of a tenant's audit log (docs/services.md). */
@RestController
class AuditController {
    private final JdbcTemplate jdbc;
    private final AuditLog log;
    private final ObjectMapper json;

    AuditController(JdbcTemplate jdbc, AuditLog log, ObjectMapper json) {
        this.jdbc = jdbc;
        this.log = log;
        this.json = json;
    }

    @GetMapping("/internal/audit/events")
    Map<String, Object> events(@RequestHeader(InternalHeaders.TENANT_ID) String tenant,
                               @RequestParam(required = false) String resourceId,
                               @RequestParam(required = false) String actor,
                               @RequestParam(required = false) String action,
                               @RequestParam(required = false) String from,
                               @RequestParam(required = false) String to,
                               @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw ApiException.badRequest("invalid_limit", "limit must be 1..1000");
        }
        StringBuilder sql = new StringBuilder("""
                SELECT id, seq, tenant_id, action, resource_id, actor, occurred_at, event_id::text AS event_id,
                       payload::text AS payload, hash, prev_hash FROM audit_event WHERE tenant_id = ?""");
        List<Object> args = new ArrayList<>(List.of(tenant));
        filter(sql, args, "resource_id = ?", resourceId);
        filter(sql, args, "actor = ?", actor);
        filter(sql, args, "action = ?", action);
        filter(sql, args, "occurred_at >= ?", time("from", from));
        filter(sql, args, "occurred_at < ?", time("to", to));
        sql.append(" ORDER BY seq LIMIT ").append(limit);
        List<Map<String, Object>> data = jdbc.query(sql.toString(), (rs, i) -> {
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
                row.put("payload", json.readTree(rs.getString("payload")));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                row.put("payload", rs.getString("payload"));
            }
            row.put("hash", rs.getString("hash").trim());
            row.put("prevHash", rs.getString("prev_hash").trim());
            return row;
        }, args.toArray());
        return Map.of("data", data);
    }

    @GetMapping("/internal/audit/verify")
    Map<String, Object> verify(@RequestHeader(InternalHeaders.TENANT_ID) String tenant) {
        return log.verify(tenant);
    }

    private static void filter(StringBuilder sql, List<Object> args, String clause, Object value) {
        if (value != null) {
            sql.append(" AND ").append(clause);
            args.add(value);
        }
    }

    private static Timestamp time(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Timestamp.from(Instant.parse(value));
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("invalid_time_range", name + " must be an ISO-8601 instant");
        }
    }
}
