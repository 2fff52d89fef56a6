package dev.crownest.audit.log;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.crownest.contracts.event.PlatformEvent;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/** Appends events to their tenant's chain; a duplicate event id is recorded once. */
@Repository
public class AuditLog {
    /** Canonical payload form: sorted keys, so the stored JSON hashes the same when read back. */
    private final ObjectMapper canonical;
    private final JdbcTemplate jdbc;

    public AuditLog(ObjectMapper json, JdbcTemplate jdbc) {
        this.canonical = json.copy().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
                .configure(com.fasterxml.jackson.databind.MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true);
        this.jdbc = jdbc;
    }

    @Transactional
    public void append(PlatformEvent event) throws JsonProcessingException {
        String tenant = event.tenantId() == null ? "platform" : event.tenantId();
        if (!jdbc.queryForList("SELECT 1 FROM audit_event WHERE event_id = ?", event.eventId()).isEmpty()) {
            return;
        }
        jdbc.update("INSERT INTO audit_chain_head (tenant_id, seq, hash) VALUES (?, 0, ?) ON CONFLICT DO NOTHING",
                tenant, AuditChain.GENESIS);
        Map<String, Object> head = jdbc.queryForMap("SELECT seq, hash FROM audit_chain_head WHERE tenant_id = ? FOR UPDATE", tenant);
        long seq = ((Number) head.get("seq")).longValue() + 1;
        String prev = ((String) head.get("hash")).trim();
        // Microseconds: what PostgreSQL keeps, so verify recomputes the same text.
        Instant occurredAt = event.occurredAt().truncatedTo(ChronoUnit.MICROS);
        String payload = canonicalJson(event);
        String action = AuditActions.of(event);
        String hash = AuditChain.hash(prev, tenant, seq, event.eventId().toString(), action, event.resourceId(),
                event.actor(), occurredAt.toString(), payload);
        jdbc.update("""
                INSERT INTO audit_event (tenant_id, seq, event_id, action, resource_id, actor, occurred_at, payload, prev_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)""",
                tenant, seq, event.eventId(), action, event.resourceId(), event.actor(), Timestamp.from(occurredAt), payload, prev, hash);
        jdbc.update("UPDATE audit_chain_head SET seq = ?, hash = ? WHERE tenant_id = ?", seq, hash, tenant);
    }

    /** Through plain maps, so every object's keys come out sorted, however they were stored (JSONB reorders). */
    String canonicalJson(Object value) throws JsonProcessingException {
        return canonical.writeValueAsString(canonical.readValue(canonical.writeValueAsString(value), Object.class));
    }

    /** Recomputes the tenant's chain from the stored rows. */
    @Transactional(readOnly = true)
    public Map<String, Object> verify(String tenant) {
        List<Map<String, Object>> rows = jdbc.queryForList("""
                SELECT seq, event_id::text AS event_id, action, resource_id, actor, occurred_at, payload::text AS payload, prev_hash, hash
                FROM audit_event WHERE tenant_id = ? ORDER BY seq""", tenant);
        String prev = AuditChain.GENESIS;
        long expectedSeq = 1;
        for (Map<String, Object> row : rows) {
            long seq = ((Number) row.get("seq")).longValue();
            String payload;
            try {
                payload = canonicalJson(canonical.readTree((String) row.get("payload")));
            } catch (JsonProcessingException e) {
                return invalid(rows.size(), seq);
            }
            String occurredAt = ((Timestamp) row.get("occurred_at")).toInstant().toString();
            String hash = AuditChain.hash(prev, tenant, seq, (String) row.get("event_id"), (String) row.get("action"),
                    (String) row.get("resource_id"), (String) row.get("actor"), occurredAt, payload);
            if (seq != expectedSeq || !prev.equals(((String) row.get("prev_hash")).trim()) || !hash.equals(((String) row.get("hash")).trim())) {
                return invalid(rows.size(), seq);
            }
            prev = hash;
            expectedSeq++;
        }
        Map<String, Object> result = new java.util.LinkedHashMap<>();
        result.put("valid", true);
        result.put("checked", rows.size());
        result.put("firstInvalidSeq", null);
        return result;
    }

    private static Map<String, Object> invalid(int checked, long seq) {
        Map<String, Object> result = new java.util.LinkedHashMap<>();
        result.put("valid", false);
        result.put("checked", checked);
        result.put("firstInvalidSeq", seq);
        return result;
    }
}
