package dev.crownest.sandbox.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.api.TemplateLogs;
import dev.crownest.contracts.api.TemplateStepLog;
import dev.crownest.contracts.api.TemplateView;
import dev.crownest.sandbox.readmodel.SqlTime;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads of {@code template_view}, always within one tenant, never its deleted templates. */
@Component
class TemplateViews {
    static final String CUSTOM = "custom";

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    TemplateViews(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** A row: the view, the node template name ({@code id}), and the logs. */
    record Row(TemplateView view, TemplateLogs logs) {}

    Optional<Row> find(String tenant, String name) {
        return jdbc.sql("SELECT * FROM template_view WHERE tenant_id = :tenant AND name = :name AND deleted_at IS NULL")
                .param("tenant", tenant)
                .param("name", name)
                .query(this::row)
                .optional();
    }

    List<TemplateView> list(String tenant) {
        return jdbc.sql("""
                        SELECT * FROM template_view WHERE tenant_id = :tenant AND deleted_at IS NULL
                        ORDER BY created_at DESC, id DESC LIMIT 1000""").param("tenant", tenant).query(this::row).list().stream()
                .map(Row::view)
                .toList();
    }

    /** The ids of the templates not deleted that have been building since before {@code before}. */
    List<String> buildingSince(Instant before) {
        return jdbc.sql("""
                        SELECT id FROM template_view WHERE status = 'building' AND deleted_at IS NULL
                        AND created_at < :before ORDER BY created_at LIMIT 100""")
                .param("before", SqlTime.of(before))
                .query(String.class)
                .list();
    }

    /** Whether a sandbox not yet ended was created from the template (node name {@code id}). */
    boolean inUse(String id) {
        return jdbc.sql("""
                        SELECT count(*) FROM sandbox_view WHERE template = :id
                        AND status IN ('starting', 'running', 'paused')""").param("id", id).query(Long.class).single() > 0;
    }

    private Row row(ResultSet rs, int n) throws SQLException {
        String status = rs.getString("status");
        String error = rs.getString("error");
        int failedStep = rs.getInt("failed_step");
        Integer step = rs.wasNull() ? null : failedStep;
        var view = new TemplateView(
                rs.getString("name"),
                rs.getString("id"),
                status,
                rs.getLong("size_bytes"),
                CUSTOM,
                rs.getString("from_name"),
                SqlTime.read(rs, "created_at"),
                SqlTime.read(rs, "built_at"),
                error);
        return new Row(view, new TemplateLogs(view.name(), status, step, error, steps(rs.getString("steps"))));
    }

    private List<TemplateStepLog> steps(String text) {
        if (text == null) {
            return List.of();
        }
        try {
            return Arrays.asList(json.readValue(text, TemplateStepLog[].class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable steps of a template", e);
        }
    }
}
