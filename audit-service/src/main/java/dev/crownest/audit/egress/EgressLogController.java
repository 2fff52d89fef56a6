package dev.crownest.audit.egress;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.audit.log.AuditActions;
import dev.crownest.audit.web.QueryParameters;
import dev.crownest.contracts.api.ApiException;
import dev.crownest.kit.caller.Caller;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A sandbox's refused egress, read from the audit log ({@code egress.denied} rows, recorded from the
 * node's {@code EgressDenied} events): {@code GET /internal/audit/sandboxes/{id}/egress}, newest last,
 * cursor-paged by seq like the audit events. Each row is a destination's count over a short window:
 * host, port, reason, count, first and last time. A project-restricted caller sees its project's only;
 * a sandbox the log has not seen created for the caller is 404 {@code sandbox_not_found}.
 */
@RestController
class EgressLogController {
    private static final int MAX_LIMIT = 1000;
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    EgressLogController(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @GetMapping("/internal/audit/sandboxes/{id}/egress")
    Map<String, Object> egress(
            Caller caller,
            @PathVariable String id,
            @RequestParam(required = false) String limit,
            @RequestParam(required = false) String cursor) {
        requireVisible(caller, id);
        int pageSize = (int) QueryParameters.number("limit", limit, 1, MAX_LIMIT, 100);
        long after = QueryParameters.number("cursor", cursor, 0, Long.MAX_VALUE, 0);
        List<Object> args = new ArrayList<>(List.of(caller.tenant(), AuditActions.EGRESS_DENIED, id, after));
        String sql = """
                SELECT seq, payload::text AS payload FROM audit_event
                WHERE tenant_id = ? AND action = ? AND resource_id = ? AND seq > ?""";
        if (caller.project() != null) {
            sql += " AND payload->>'projectId' = ?";
            args.add(caller.project());
        }
        sql += " ORDER BY seq LIMIT " + (pageSize + 1);
        List<Map<String, Object>> data =
                jdbc.query(sql, (rs, i) -> row(rs.getLong("seq"), rs.getString("payload")), args.toArray());
        Long nextCursor = null;
        if (data.size() > pageSize) {
            data = new ArrayList<>(data.subList(0, pageSize));
            nextCursor = (Long) data.getLast().get("seq");
        }
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("data", data);
        page.put("nextCursor", nextCursor);
        return page;
    }

    /**
     * 404 unless the log holds the sandbox's creation for this tenant (and this key's project): another
     * tenant's or project's sandbox is not found, as on every sandbox route.
     */
    private void requireVisible(Caller caller, String sandboxId) {
        String sql = "SELECT count(*) FROM audit_event WHERE tenant_id = ? AND action = ? AND resource_id = ?";
        List<Object> args = new ArrayList<>(List.of(caller.tenant(), AuditActions.SANDBOX_CREATED, sandboxId));
        if (caller.project() != null) {
            sql += " AND payload->>'projectId' = ?";
            args.add(caller.project());
        }
        Integer found = jdbc.queryForObject(sql, Integer.class, args.toArray());
        if (found == null || found == 0) {
            throw ApiException.notFound("sandbox_not_found", "no sandbox " + sandboxId);
        }
    }

    private Map<String, Object> row(long seq, String payload) {
        JsonNode event;
        try {
            event = json.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable audit payload at seq " + seq, e);
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("seq", seq);
        row.put("sandboxId", event.path("sandboxId").asText());
        row.put("host", event.path("host").asText());
        row.put("port", event.path("port").asInt());
        row.put("reason", event.path("reason").asText());
        row.put("count", event.path("count").asLong());
        row.put("firstAt", event.path("firstAt").asText());
        row.put("lastAt", event.path("lastAt").asText());
        row.put("nodeId", event.path("nodeId").asText());
        return row;
    }
}
