package dev.crownest.audit.log;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The hash of one audit record: SHA-256 over the previous hash and the record's fields. */
final class AuditChain {
    static final String GENESIS = "0".repeat(64);

    private AuditChain() {}

    static String hash(
            String prevHash,
            String tenantId,
            long seq,
            String eventId,
            String action,
            String resourceId,
            String actor,
            String occurredAt,
            String payload) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String field : new String[] {
                prevHash, tenantId, Long.toString(seq), eventId, action, resourceId, actor, occurredAt, payload
            }) {
                sha.update(field.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0x1f); // unit separator: fields cannot run into each other
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
