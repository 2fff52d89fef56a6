package dev.crownest.audit.log;

import dev.crownest.audit.tombstone.Tombstone;
import dev.crownest.contracts.event.PlatformEvent;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Appends events to their tenant's chain, a batch at a time; an event id already recorded (or
 * repeated within the batch) is recorded once. Endings also leave a tombstone, in the same
 * transaction. A batch's rows go in with one COPY ({@link AuditEventCopy}), streamed as they are hashed; its chain heads move
 * once per tenant.
 */
@Repository
public class AuditLog {
    /** The tenant of events that have none (node-level events). */
    public static final String PLATFORM_TENANT = "platform";

    private final CanonicalJson canonical;
    private final JdbcTemplate jdbc;
    private final AuditEventCopy eventRows;

    AuditLog(CanonicalJson canonical, JdbcTemplate jdbc, AuditEventCopy eventRows) {
        this.canonical = canonical;
        this.jdbc = jdbc;
        this.eventRows = eventRows;
    }

    /** One event; see {@link #append(List)}. */
    @Transactional
    public int append(PlatformEvent event) {
        return append(List.of(event));
    }

    /**
     * Appends a batch in one transaction, locking each tenant's chain head once, in tenant order so
     * two concurrent batches never deadlock. Answers how many events were new.
     */
    @Transactional
    public int append(List<PlatformEvent> events) {
        Map<UUID, PlatformEvent> unique = new LinkedHashMap<>();
        for (PlatformEvent event : events) {
            unique.putIfAbsent(event.eventId(), event);
        }
        if (unique.isEmpty()) {
            return 0;
        }
        Map<String, List<PlatformEvent>> byTenant = new TreeMap<>();
        for (PlatformEvent event : unique.values()) {
            byTenant.computeIfAbsent(tenantOf(event), t -> new ArrayList<>()).add(event);
        }
        String[] tenants = byTenant.keySet().toArray(String[]::new);
        jdbc.batchUpdate(
                "INSERT INTO audit_chain_head (tenant_id, seq, hash) VALUES (?, 0, ?) ON CONFLICT DO NOTHING",
                byTenant.keySet().stream()
                        .map(t -> new Object[] {t, AuditChain.GENESIS})
                        .toList());
        Map<String, Head> heads = new LinkedHashMap<>();
        jdbc.query(
                "SELECT tenant_id, seq, hash FROM audit_chain_head WHERE tenant_id = ANY (?) ORDER BY tenant_id FOR UPDATE",
                rs -> {
                    heads.put(
                            rs.getString("tenant_id"),
                            new Head(rs.getLong("seq"), rs.getString("hash").trim()));
                },
                (Object) tenants);
        // Checked under the locks: a concurrent batch with the same event has committed by now.
        Set<UUID> recorded = new HashSet<>(jdbc.queryForList(
                "SELECT event_id FROM audit_event WHERE event_id = ANY (?::uuid[])", UUID.class, (Object)
                        unique.keySet().stream().map(UUID::toString).toArray(String[]::new)));

        if (recorded.containsAll(unique.keySet())) {
            return 0;
        }
        List<Object[]> tombstones = new ArrayList<>();
        List<Object[]> newHeads = new ArrayList<>();
        long appended = eventRows.copy(rows -> {
            for (Map.Entry<String, List<PlatformEvent>> tenantEvents : byTenant.entrySet()) {
                String tenant = tenantEvents.getKey();
                Head head = heads.get(tenant);
                long seq = head.seq();
                String prev = head.hash();
                for (PlatformEvent event : tenantEvents.getValue()) {
                    if (recorded.contains(event.eventId())) {
                        continue;
                    }
                    seq++;
                    Link link = link(tenant, seq, prev, event);
                    rows.accept(link.row());
                    link.tombstone().ifPresent(tombstones::add);
                    prev = link.hash();
                }
                if (seq != head.seq()) {
                    newHeads.add(new Object[] {seq, prev, tenant});
                }
            }
        });
        if (!tombstones.isEmpty()) {
            jdbc.batchUpdate("""
                INSERT INTO audit_tombstone (tenant_id, audit_seq, event_id, action, resource_id, resource_kind, actor, occurred_at, reason)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""", tombstones);
        }
        jdbc.batchUpdate("UPDATE audit_chain_head SET seq = ?, hash = ? WHERE tenant_id = ?", newHeads);
        return Math.toIntExact(appended);
    }

    /** An event as the chain's next link after {@code prev}: its row, its hash and its tombstone, if it ends something. */
    private Link link(String tenant, long seq, String prev, PlatformEvent event) {
        // Microseconds: what PostgreSQL keeps, so verify recomputes the same text.
        Instant occurredAt = event.occurredAt().truncatedTo(ChronoUnit.MICROS);
        String payload = canonical.of(event);
        String action = AuditActions.of(event);
        String resourceId = orElse(event.resourceId(), "unknown");
        String actor = orElse(event.actor(), "system");
        String hash = AuditChain.hash(
                prev,
                tenant,
                seq,
                event.eventId().toString(),
                action,
                resourceId,
                actor,
                occurredAt.toString(),
                payload);
        // in AuditEventCopy.COPY's column order; an Instant's text is ISO-8601 UTC, which timestamptz reads
        Object[] row = {tenant, seq, event.eventId(), action, resourceId, actor, occurredAt, payload, prev, hash};
        Optional<Object[]> tombstone = Tombstone.of(event).map(t -> new Object[] {
            tenant,
            seq,
            event.eventId(),
            action,
            resourceId,
            t.resourceKind(),
            actor,
            Timestamp.from(occurredAt),
            t.reason() == null ? null : orElse(t.reason(), "")
        });
        return new Link(row, hash, tombstone);
    }

    static String tenantOf(PlatformEvent event) {
        return orElse(event.tenantId(), PLATFORM_TENANT);
    }

    /** A column text: never null or empty, and without NUL, which PostgreSQL's text cannot hold. */
    private static String orElse(String value, String otherwise) {
        return value == null || value.isEmpty() ? otherwise : value.replace((char) 0, '\uFFFD');
    }

    private record Head(long seq, String hash) {}

    private record Link(Object[] row, String hash, Optional<Object[]> tombstone) {}
}
