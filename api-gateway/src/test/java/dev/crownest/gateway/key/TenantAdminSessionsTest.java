package dev.crownest.gateway.key;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crownest.contracts.event.KeyEvent;
import dev.crownest.contracts.event.TenantEvent;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TenantAdminSessionsTest {

    private final TenantAdminSessions sessions = new TenantAdminSessions();

    @Test
    void findsALiveSessionByItsTokenOnly() {
        sessions.apply(opened("adm_1", "cn_admin_token"));
        assertThat(sessions.find("cn_admin_token")).hasValueSatisfying(session -> {
            assertThat(session.sessionId()).isEqualTo("adm_1");
            assertThat(session.tenantId()).isEqualTo("ten_1");
        });
        assertThat(sessions.find("cn_admin_other")).isEmpty();
        assertThat(sessions.find(SecretHash.of("cn_admin_token")))
                .as("the hash is no token")
                .isEmpty();
    }

    @Test
    void revocationIsFinalEvenIfTheOpeningIsRedelivered() {
        sessions.apply(opened("adm_1", "cn_admin_token"));
        sessions.apply(new TenantEvent.TenantAdminSessionRevoked(
                UUID.randomUUID(), "ten_1", Instant.now(), 1, "adm_1", "operator"));
        assertThat(sessions.find("cn_admin_token")).isEmpty();
        sessions.apply(opened("adm_1", "cn_admin_token"));
        assertThat(sessions.find("cn_admin_token")).isEmpty();
    }

    @Test
    void anApiKeyRevokedHearsKeyRevokedAndAnUnknownOneDoesNot() {
        ApiKeyCache keys = new ApiKeyCache();
        keys.apply(new KeyEvent.ApiKeyCreated(
                UUID.randomUUID(),
                "ten_1",
                Instant.now(),
                1,
                "key_1",
                "ci",
                List.of("sandboxes:read"),
                null,
                SecretHash.of("cn_live_a"),
                "adm_1"));
        assertThat(keys.wasRevoked("cn_live_a")).isFalse();
        keys.apply(new KeyEvent.ApiKeyRevoked(UUID.randomUUID(), "ten_1", Instant.now(), 1, "key_1", "adm_1"));
        assertThat(keys.find("cn_live_a")).isEmpty();
        assertThat(keys.wasRevoked("cn_live_a")).isTrue();
        assertThat(keys.wasRevoked("cn_live_never")).isFalse();
    }

    private static TenantEvent.TenantAdminSessionOpened opened(String sessionId, String token) {
        return new TenantEvent.TenantAdminSessionOpened(
                UUID.randomUUID(), "ten_1", Instant.now(), 1, sessionId, SecretHash.of(token), "operator");
    }
}
