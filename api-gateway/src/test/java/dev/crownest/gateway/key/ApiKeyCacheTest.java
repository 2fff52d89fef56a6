package dev.crownest.gateway.key;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crownest.contracts.event.KeyEvent;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ApiKeyCacheTest {

    private final ApiKeyCache cache = new ApiKeyCache();

    @Test
    void findsALiveKeyByItsSecretOnly() {
        cache.apply(created("key_1", "cn_live_secret", "prj_1"));
        assertThat(cache.find("cn_live_secret")).hasValueSatisfying(grant -> {
            assertThat(grant.keyId()).isEqualTo("key_1");
            assertThat(grant.tenantId()).isEqualTo("tenant");
            assertThat(grant.projectId()).isEqualTo("prj_1");
            assertThat(grant.allows("sandboxes:read")).isTrue();
            assertThat(grant.allows("sandboxes:create")).isFalse();
        });
        assertThat(cache.find("cn_live_other")).isEmpty();
    }

    @Test
    void revocationIsFinalEvenIfTheCreationIsRedelivered() {
        KeyEvent.ApiKeyCreated created = created("key_2", "cn_live_gone", null);
        cache.apply(created);
        cache.apply(new KeyEvent.ApiKeyRevoked(UUID.randomUUID(), "tenant", Instant.now(), 1, "key_2", "operator"));
        assertThat(cache.find("cn_live_gone")).isEmpty();
        cache.apply(created);
        assertThat(cache.find("cn_live_gone")).isEmpty();
        assertThat(cache.size()).isZero();
    }

    private static KeyEvent.ApiKeyCreated created(String keyId, String secret, String projectId) {
        return new KeyEvent.ApiKeyCreated(
                UUID.randomUUID(),
                "tenant",
                Instant.now(),
                1,
                keyId,
                "k",
                List.of("sandboxes:read"),
                projectId,
                SecretHash.of(secret),
                "operator");
    }
}
