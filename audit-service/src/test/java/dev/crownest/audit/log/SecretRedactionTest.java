package dev.crownest.audit.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.event.CommandEvent;
import dev.crownest.contracts.event.KeyEvent;
import dev.crownest.contracts.event.TenantEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** F4 and F5 at the audit's door: what is hashed into the chain holds no credential hash and no env value. */
class SecretRedactionTest {
    private static final String HASH = "a".repeat(64);
    private final CanonicalJson canonical = new CanonicalJson(new ObjectMapper().findAndRegisterModules());

    @Test
    void credentialHashesNeverReachThePayload() {
        String key = canonical.of(new KeyEvent.ApiKeyCreated(
                UUID.randomUUID(), "t", Instant.EPOCH, 1, "key_1", "n", List.of("sandboxes:read"), null, HASH, "op"));
        String session = canonical.of(new TenantEvent.TenantAdminSessionOpened(
                UUID.randomUUID(), "t", Instant.EPOCH, 1, "ses_1", HASH, "operator"));
        assertThat(key).doesNotContain(HASH).doesNotContain("secretHash").contains("key_1");
        assertThat(session).doesNotContain(HASH).doesNotContain("tokenHash");
    }

    @Test
    void envKeepsItsNamesOnly() {
        String started = canonical.of(new CommandEvent.CommandStarted(
                UUID.randomUUID(),
                "t",
                Instant.EPOCH,
                1,
                "cmd_1",
                "sbx_1",
                "env",
                "/workspace",
                Map.of("DB_PASSWORD", "hunter2"),
                1000,
                null,
                "key_1"));
        assertThat(started).doesNotContain("hunter2").contains("\"DB_PASSWORD\":\"" + SecretRedaction.REDACTED + "\"");
    }

    @Test
    void oldRowsAreRedactedOnReadAndExport() throws Exception {
        String stored = "{\"env\":{\"K\":\"v1\"},\"secretHash\":\"" + HASH + "\",\"nested\":{\"tokenHash\":\"x\"}}";
        String shown = canonical.ofTextRedacted(stored);
        assertThat(shown).isEqualTo("{\"env\":{\"K\":\"[redacted]\"},\"nested\":{}}");
    }
}
