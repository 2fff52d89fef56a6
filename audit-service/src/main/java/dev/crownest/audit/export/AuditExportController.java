package dev.crownest.audit.export;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.crownest.audit.log.CanonicalJson;
import dev.crownest.audit.web.ProjectScope;
import dev.crownest.audit.web.QueryParameters;
import dev.crownest.contracts.api.ApiException;
import dev.crownest.kit.caller.Caller;
import dev.crownest.kit.csv.CsvRow;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * {@code GET /internal/audit/export?from=&to=&format=csv|json}: the tenant's rows in seq order,
 * streamed from a server-side cursor ({@code crownest.audit.export.fetch-size} rows at a time), so
 * the range is never held in memory. Each row carries seq, prevHash and hash for offline checks.
 */
@RestController
@EnableConfigurationProperties(ExportProperties.class)
class AuditExportController {
    private static final MediaType CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);

    private final JdbcTemplate cursor;
    private final TransactionTemplate readOnly;
    private final CanonicalJson canonical;
    private final ObjectMapper json;

    AuditExportController(
            DataSource dataSource,
            PlatformTransactionManager transactions,
            CanonicalJson canonical,
            ObjectMapper json,
            ExportProperties properties) {
        this.cursor = new JdbcTemplate(dataSource);
        this.cursor.setFetchSize(properties.fetchSize());
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
        // PostgreSQL streams a result set with a fetch size only inside a transaction; repeatable
        // read also makes the export one consistent snapshot.
        this.readOnly.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        this.canonical = canonical;
        this.json = json;
    }

    @GetMapping("/internal/audit/export")
    ResponseEntity<StreamingResponseBody> export(
            Caller caller,
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(defaultValue = "csv") String format) {
        String tenant = caller.tenant();
        // Everything that can be refused is checked before the first byte goes out.
        Timestamp fromTime = QueryParameters.time("from", from);
        Timestamp toTime = QueryParameters.time("to", to);
        QueryParameters.range(fromTime, toTime);
        boolean csv = switch (format) {
            case "csv" -> true;
            case "json" -> false;
            default -> throw ApiException.badRequest("invalid_format", "format must be csv or json");
        };
        StringBuilder sql = new StringBuilder("""
                SELECT tenant_id, seq, event_id::text AS event_id, action, resource_id, actor, occurred_at,
                       payload::text AS payload, prev_hash, hash
                FROM audit_event WHERE tenant_id = ?""");
        List<Object> args = new ArrayList<>(List.of(tenant));
        if (fromTime != null) {
            sql.append(" AND occurred_at >= ?");
            args.add(fromTime);
        }
        if (toTime != null) {
            sql.append(" AND occurred_at < ?");
            args.add(toTime);
        }
        ProjectScope.restrict(sql, args, "", tenant, caller.project());
        sql.append(" ORDER BY seq");
        StreamingResponseBody body = out -> readOnly.executeWithoutResult(tx -> {
            try {
                if (csv) {
                    writeCsv(out, sql.toString(), args.toArray());
                } else {
                    writeJson(out, sql.toString(), args.toArray());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return ResponseEntity.ok()
                .contentType(csv ? CSV : MediaType.APPLICATION_JSON)
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        "attachment; filename=\"audit-" + tenant.replaceAll("[^A-Za-z0-9_.-]", "_")
                                + (csv ? ".csv\"" : ".json\""))
                .body(body);
    }

    private void writeCsv(OutputStream out, String sql, Object[] args) throws IOException {
        Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
        writeCsvLine(writer, ExportRow.HEADER);
        cursor.query(
                sql,
                rs -> {
                    try {
                        writeCsvLine(writer, row(rs).fields());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                },
                args);
        writer.flush();
    }

    private void writeJson(OutputStream out, String sql, Object[] args) throws IOException {
        JsonGenerator generator = json.getFactory().createGenerator(out);
        // Flushing after each row would send one chunk per row; the generator's buffer decides instead.
        ObjectWriter rows = json.writer().without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
        generator.writeStartArray();
        cursor.query(
                sql,
                rs -> {
                    try {
                        rows.writeValue(generator, row(rs));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                },
                args);
        generator.writeEndArray();
        generator.flush();
    }

    private ExportRow row(ResultSet rs) throws SQLException {
        String payload;
        try {
            // Rows older than the redaction rule leave redacted (SecretRedaction); their hash then no longer
            // recomputes offline, which docs/security.md ("Secrets at rest") states.
            payload = canonical.ofTextRedacted(rs.getString("payload"));
        } catch (JsonProcessingException e) {
            payload = rs.getString("payload"); // exported as stored; its hash will not verify, which is the point
        }
        return new ExportRow(
                rs.getString("tenant_id"),
                rs.getLong("seq"),
                rs.getString("event_id"),
                rs.getString("action"),
                rs.getString("resource_id"),
                rs.getString("actor"),
                rs.getTimestamp("occurred_at").toInstant().toString(),
                payload,
                rs.getString("prev_hash").trim(),
                rs.getString("hash").trim());
    }

    /** RFC 4180 ({@link CsvRow}), lines ended by CRLF. */
    private static void writeCsvLine(Writer writer, String[] fields) throws IOException {
        writer.write(CsvRow.of(fields));
        writer.write("\r\n");
    }
}
