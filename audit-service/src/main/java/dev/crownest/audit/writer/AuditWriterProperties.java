package dev.crownest.audit.writer;

import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The database role the running service reads and appends through ({@code crownest.audit.writer.*}).
 * It holds SELECT and INSERT on the log, never UPDATE or DELETE. The owner, which migrates the
 * schema and creates this role, stays {@code spring.datasource.username/password}.
 *
 * @param username role name, default {@code crownest_audit_writer} (env {@code CROWNEST_AUDIT_WRITER_USERNAME})
 * @param password its password, no default: required (env {@code CROWNEST_AUDIT_WRITER_PASSWORD})
 */
@ConfigurationProperties("crownest.audit.writer")
public record AuditWriterProperties(
        @DefaultValue("crownest_audit_writer") String username, String password) {
    private static final Pattern ROLE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    public AuditWriterProperties {
        // The name goes into DDL unquoted: only a plain identifier is accepted.
        if (username == null || !ROLE_NAME.matcher(username).matches()) {
            throw new IllegalArgumentException("crownest.audit.writer.username must be a plain lower-case identifier");
        }
        if (password == null || password.isBlank()) {
            throw new IllegalArgumentException(
                    "crownest.audit.writer.password (env CROWNEST_AUDIT_WRITER_PASSWORD) must be set");
        }
    }

    /** The password as the body of a SQL string literal. */
    String passwordLiteral() {
        return password.replace("'", "''");
    }

    @Override
    public String toString() {
        return "AuditWriterProperties[username=" + username + ", password=***]";
    }
}
