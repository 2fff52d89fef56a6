package dev.crownest.audit.export;

/**
 * One exported audit row, with exactly the texts its hash was computed over: an auditor recomputes
 * {@code hash = SHA-256(prevHash US tenantId US seq US eventId US action US resourceId US actor US
 * occurredAt US payload US)} (US = byte 0x1f) and checks each row's {@code prevHash} against the
 * previous row's {@code hash}.
 */
record ExportRow(
        String tenantId,
        long seq,
        String eventId,
        String action,
        String resourceId,
        String actor,
        String occurredAt,
        String payload,
        String prevHash,
        String hash) {
    static final String[] HEADER = {
        "tenantId", "seq", "eventId", "action", "resourceId", "actor", "occurredAt", "payload", "prevHash", "hash"
    };

    String[] fields() {
        return new String[] {
            tenantId, Long.toString(seq), eventId, action, resourceId, actor, occurredAt, payload, prevHash, hash
        };
    }
}
