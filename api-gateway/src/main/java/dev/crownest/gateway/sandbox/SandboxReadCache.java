package dev.crownest.gateway.sandbox;

import dev.crownest.gateway.kafka.BroadcastTopicReader;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The gateway's copy of sandbox views, so that {@code GET /v1/sandboxes/{id}} is answered without a
 * call to sandbox-service. Kept exact by {@code sandbox-events}: sandbox-service's read model commits
 * with the events (a subscribing processor) and publishes them afterwards, so once an event reached
 * this gateway a fresh read of sandbox-service shows it. Every event drops the sandbox's entry, and the
 * next read fetches it again.
 *
 * <p>A read that was in flight while an event arrived may carry the state from before it; tickets
 * keep such an answer out: a read takes a ticket when it starts, and its answer is stored only if
 * nothing about that sandbox changed since. The gateway's own mutations store their answer at once
 * (a client that killed a sandbox reads it killed) unless an event overtook them.
 *
 * <p>While the event reader is not positioned (starting, or reconnecting after a failure), nothing is
 * served from or stored in the cache; each repositioning starts it empty.
 */
@Component
public class SandboxReadCache implements BroadcastTopicReader.Continuity {

    /** A cached answer: the sandbox, the owner it may be shown to and the exact bytes sandbox-service answered. */
    public record Entry(String sandboxId, String tenantId, String projectId, byte[] body) {

        /** Whether a key of {@code tenantId}, restricted to {@code projectId} when not null, may see it. */
        boolean visibleTo(String tenantId, String projectId) {
            return this.tenantId.equals(tenantId) && (projectId == null || projectId.equals(this.projectId));
        }
    }

    /** What is known of one sandbox: when it last changed (a ticket) and its answer, if cached. */
    private record Slot(long changedAt, Entry entry) {}

    private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();
    private final AtomicLong clock = new AtomicLong();
    private final int maxEntries;
    /** Reads that began before this ticket may not store (the cache was emptied after they began). */
    private volatile long floor = Long.MAX_VALUE;

    private volatile boolean live;

    public SandboxReadCache(@Value("${crownest.gateway.sandbox-cache.max-entries:50000}") int maxEntries) {
        this.maxEntries = maxEntries;
    }

    /** Taken before a read or a mutation is sent to sandbox-service. */
    public long ticket() {
        return clock.get();
    }

    /**
     * Whether anything may have happened to this sandbox since {@code ticket} (an event arrived, the cache
     * was emptied, or the event reader is not positioned): what was learnt of it before must be asked again.
     */
    public boolean changedSince(String sandboxId, long ticket) {
        if (!live || ticket < floor) {
            return true;
        }
        Slot slot = slots.get(sandboxId);
        return slot != null && slot.changedAt() > ticket;
    }

    /** The cached answer for a key of this tenant (and project), or null: then ask sandbox-service. */
    public Entry find(String sandboxId, String tenantId, String projectId) {
        if (!live) {
            return null;
        }
        Slot slot = slots.get(sandboxId);
        Entry entry = slot == null ? null : slot.entry();
        // Another tenant's or project's sandbox: sandbox-service answers the 404, as it always did.
        return entry != null && entry.visibleTo(tenantId, projectId) ? entry : null;
    }

    /** Stores a read's answer unless the sandbox changed after the read's {@code ticket}. */
    public void storeRead(String sandboxId, long ticket, Entry entry) {
        Objects.requireNonNull(entry);
        if (!live || ticket < floor) {
            return;
        }
        makeRoom();
        // floor again inside: an emptying that ran meanwhile must win (it sets the floor before clearing)
        slots.compute(
                sandboxId,
                (id, slot) -> (slot != null && slot.changedAt() > ticket) || ticket < floor
                        ? slot
                        : new Slot(slot == null ? 0 : slot.changedAt(), entry));
    }

    /**
     * After this gateway's own mutation: its answer (null when there is none to keep) becomes the entry,
     * or, when an event arrived during the call, the entry is dropped. Either way the change is stamped,
     * so a read that began earlier cannot put the older state back.
     */
    public void storeOwnWrite(String sandboxId, long ticket, Entry entry) {
        long now = clock.incrementAndGet();
        boolean keep = entry != null && live && ticket >= floor;
        makeRoom();
        slots.compute(
                sandboxId,
                (id, slot) -> new Slot(
                        now, keep && ticket >= floor && (slot == null || slot.changedAt() <= ticket) ? entry : null));
    }

    /** A {@code sandbox-events} record about this sandbox arrived: drop what is cached. */
    public void changed(String sandboxId) {
        long now = clock.incrementAndGet();
        slots.put(sandboxId, new Slot(now, null));
        makeRoom();
    }

    @Override
    public void positioned() {
        forgetAll();
        live = true;
    }

    @Override
    public void lost() {
        live = false;
        forgetAll();
    }

    int size() {
        return slots.size();
    }

    private void forgetAll() {
        floor = clock.incrementAndGet();
        slots.clear();
    }

    /** Bounded memory: past the limit everything goes (a refetch costs one call), tickets stay safe. */
    private void makeRoom() {
        if (slots.size() >= maxEntries) {
            forgetAll();
        }
    }
}
