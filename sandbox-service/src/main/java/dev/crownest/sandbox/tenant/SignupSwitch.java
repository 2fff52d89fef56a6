package dev.crownest.sandbox.tenant;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The operator's switch for sign-up, one row of {@code signup_setting} shared by every sandbox-service
 * instance; without a row, {@code crownest.signup.enabled} decides.
 */
@Repository
class SignupSwitch {
    private static final Logger log = LoggerFactory.getLogger(SignupSwitch.class);

    private final JdbcClient jdbc;
    private final SignupProperties properties;
    private final Clock clock;

    SignupSwitch(JdbcClient jdbc, SignupProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
    }

    boolean enabled() {
        return jdbc.sql("SELECT enabled FROM signup_setting")
                .query(Boolean.class)
                .optional()
                .orElse(properties.enabled());
    }

    void set(boolean enabled, String actor) {
        jdbc.sql("""
                        INSERT INTO signup_setting (id, enabled, updated_by, updated_at) VALUES (TRUE, :enabled, :actor, :at)
                        ON CONFLICT (id) DO UPDATE SET enabled = EXCLUDED.enabled, updated_by = EXCLUDED.updated_by,
                                                       updated_at = EXCLUDED.updated_at""")
                .param("enabled", enabled)
                .param("actor", actor)
                .param("at", OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
                .update();
        log.info("sign-up {} by {}", enabled ? "opened" : "closed", actor);
    }
}
