package dev.crownest.sandbox.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@code crownest.sandbox.open-network-tenants} as application.yml and the environment give it. */
class NetworkPolicyTest {

    private static NetworkPolicy bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("crownest.sandbox", NetworkPolicy.class);
    }

    @Test
    void noTenantIsOpenByDefault() {
        assertThat(bind(Map.of()).allowsOpen("default")).isFalse();
        assertThat(bind(Map.of("crownest.sandbox.open-network-tenants", "")).allowsOpen("default"))
                .isFalse();
    }

    @Test
    void aCommaSeparatedListFlagsTenants() {
        NetworkPolicy policy = bind(Map.of("crownest.sandbox.open-network-tenants", "t_a,t_b"));
        assertThat(policy.allowsOpen("t_a")).isTrue();
        assertThat(policy.allowsOpen("t_b")).isTrue();
        assertThat(policy.allowsOpen("t_c")).isFalse();
    }
}
