package dev.crownest.metering.usage;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.api.ApiException;
import dev.crownest.kit.caller.Caller;
import dev.crownest.kit.csv.CsvRow;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * {@code GET /internal/usage/export?from=&to=&format=csv|json&granularity=second|hour|day}: usage
 * for finance, one row per sandbox, pricing version and period, each with its amount. Streamed
 * from a PostgreSQL cursor, so a year of seconds never sits in memory.
 */
@RestController
class UsageExportController {
    private static final int FETCH_SIZE = 2000;
    private static final String[] COLUMNS = {
        "periodStart",
        "tenantId",
        "projectId",
        "sandboxId",
        "pricingVersion",
        "seconds",
        "computeUnitSeconds",
        "amountUsd"
    };

    private final JdbcTemplate cursor;
    private final TransactionTemplate readOnly;
    private final ObjectMapper json;
    private final Clock clock;

    UsageExportController(
            DataSource dataSource, PlatformTransactionManager transactions, ObjectMapper json, Clock clock) {
        this.cursor = new JdbcTemplate(dataSource);
        // PostgreSQL streams with a fetch size only inside a transaction; otherwise it reads everything first.
        this.cursor.setFetchSize(FETCH_SIZE);
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
        this.json = json;
        this.clock = clock;
    }

    @GetMapping("/internal/usage/export")
    ResponseEntity<StreamingResponseBody> export(
            Caller caller,
            @RequestParam(required = false) String sandboxId,
            @RequestParam(required = false) String projectId,
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(defaultValue = "hour") String granularity,
            @RequestParam(defaultValue = "csv") String format) {
        if (!format.equals("csv") && !format.equals("json")) {
            throw ApiException.badRequest("invalid_format", "format must be csv or json");
        }
        UsageFilter filter = UsageFilter.parse(
                caller, projectId, sandboxId, from, to, granularity, List.of("second", "hour", "day"), clock);
        long width = filter.granularitySeconds();
        String sql = width == 1
                // per second: each metered bit of each hour, at the row's per-second price
                ? """
                SELECT hour + n AS period, tenant_id, project_id, sandbox_id, pricing_version,
                       1 AS seconds, unit_compute_units AS cus, unit_amount_usd AS amount
                FROM usage_hour CROSS JOIN generate_series(0, 3599) AS s(n) %s AND get_bit(seconds_metered, n) = 1
                ORDER BY 1, 4, 5""".formatted(filter.where())
                : """
                SELECT (hour / %d) * %d AS period, tenant_id, project_id, sandbox_id, pricing_version,
                       sum(seconds) AS seconds, sum(compute_unit_seconds) AS cus, sum(amount_usd) AS amount
                FROM usage_hour %s GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 4, 5""".formatted(width, width, filter.where());
        String name =
                "usage-" + filter.from().getEpochSecond() + "-" + filter.to().getEpochSecond() + "." + format;
        StreamingResponseBody body = out -> {
            Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            readOnly.executeWithoutResult(status -> {
                try {
                    if (format.equals("csv")) {
                        csv(sql, filter, writer);
                    } else {
                        json(sql, filter, writer);
                    }
                    writer.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        };
        return ResponseEntity.ok()
                .contentType(
                        format.equals("csv")
                                ? new MediaType("text", "csv", StandardCharsets.UTF_8)
                                : MediaType.APPLICATION_JSON)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "\"")
                .body(body);
    }

    private void csv(String sql, UsageFilter filter, Writer writer) throws IOException {
        writer.write(String.join(",", COLUMNS));
        writer.write('\n');
        cursor.query(
                sql,
                rs -> {
                    try {
                        writer.write(Instant.ofEpochSecond(rs.getLong("period")).toString());
                        for (String value : new String[] {
                            rs.getString("tenant_id"),
                            nullToEmpty(rs.getString("project_id")),
                            rs.getString("sandbox_id"),
                            rs.getString("pricing_version"),
                            Long.toString(rs.getLong("seconds")),
                            plain(rs.getBigDecimal("cus")),
                            plain(rs.getBigDecimal("amount"))
                        }) {
                            writer.write(',');
                            writer.write(CsvRow.field(value));
                        }
                        writer.write('\n');
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                },
                filter.args());
    }

    private void json(String sql, UsageFilter filter, Writer writer) throws IOException {
        // Not closed here: the caller's writer outlives the generator and is flushed by the caller.
        JsonGenerator out = json.getFactory().createGenerator(writer);
        {
            out.writeStartObject();
            out.writeStringField("from", filter.from().toString());
            out.writeStringField("to", filter.to().toString());
            out.writeArrayFieldStart("rows");
            cursor.query(
                    sql,
                    rs -> {
                        try {
                            row(out, rs);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    },
                    filter.args());
            out.writeEndArray();
            out.writeEndObject();
            out.flush();
        }
    }

    private static void row(JsonGenerator out, ResultSet rs) throws IOException, SQLException {
        out.writeStartObject();
        out.writeStringField(
                "periodStart", Instant.ofEpochSecond(rs.getLong("period")).toString());
        out.writeStringField("tenantId", rs.getString("tenant_id"));
        out.writeStringField("projectId", rs.getString("project_id"));
        out.writeStringField("sandboxId", rs.getString("sandbox_id"));
        out.writeStringField("pricingVersion", rs.getString("pricing_version"));
        out.writeNumberField("seconds", rs.getLong("seconds"));
        out.writeFieldName("computeUnitSeconds");
        out.writeNumber(plain(rs.getBigDecimal("cus")));
        out.writeFieldName("amountUsd");
        out.writeNumber(plain(rs.getBigDecimal("amount")));
        out.writeEndObject();
    }

    private static String plain(BigDecimal value) {
        return value.toPlainString();
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
