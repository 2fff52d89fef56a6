package dev.crownest.sandbox.key;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads of {@code api_key_view}. */
@Repository
class ApiKeyViews {
    private final JdbcClient jdbc;

    ApiKeyViews(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    boolean existsWithHash(String secretHash) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM api_key_view WHERE secret_hash = :hash)")
                .param("hash", secretHash)
                .query(Boolean.class)
                .single();
    }
}
