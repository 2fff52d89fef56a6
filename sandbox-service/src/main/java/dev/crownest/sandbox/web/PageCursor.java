package dev.crownest.sandbox.web;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.api.Page;
import dev.crownest.sandbox.readmodel.SqlTime;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A keyset cursor over lists ordered newest first by (time, id): the opaque {@code nextCursor} of a page
 * names the last row it showed, and the next page starts strictly after it, so rows created meanwhile
 * neither repeat nor shift the pages.
 */
public record PageCursor(Instant at, String id) {

    /** A row of a page with the key it is ordered by. */
    public record Keyed<T>(T row, Instant at, String id) {}

    /** The cursor a client sent; null for the first page; 400 {@code invalid_cursor} if it is not one of ours. */
    public static PageCursor decode(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":", 2);
            long micros = Long.parseLong(parts[0]);
            return new PageCursor(Instant.EPOCH.plus(micros, ChronoUnit.MICROS), parts[1]);
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            throw ApiException.badRequest("invalid_cursor", "cursor is not a nextCursor this API gave");
        }
    }

    public String encode() {
        String raw = ChronoUnit.MICROS.between(Instant.EPOCH, at) + ":" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Runs a keyset query and pages its rows: binds {@code :cursorAt}, {@code :cursorId} and {@code :limit}
     * (one more than the page, to see if there is a next one) and keys each row by {@code timeColumn} and
     * {@code id}, the columns the query orders by.
     */
    public static <T> Page<T> page(
            JdbcClient.StatementSpec query, String timeColumn, RowMapper<T> rows, PageCursor cursor, int limit) {
        List<Keyed<T>> fetched = query.param("cursorAt", at(cursor))
                .param("cursorId", id(cursor))
                .param("limit", limit + 1)
                .query((rs, n) -> new Keyed<>(rows.mapRow(rs, n), SqlTime.read(rs, timeColumn), rs.getString("id")))
                .list();
        return page(fetched, limit);
    }

    /** A page from {@code limit + 1} fetched rows: the extra row only says that there is a next page. */
    public static <T> Page<T> page(List<Keyed<T>> fetched, int limit) {
        List<Keyed<T>> shown = fetched.subList(0, Math.min(limit, fetched.size()));
        String next = fetched.size() > limit
                ? new PageCursor(shown.getLast().at(), shown.getLast().id()).encode()
                : null;
        return new Page<>(shown.stream().map(Keyed::row).toList(), next);
    }

    /** The cursor's time for a query parameter: null on the first page. */
    public static OffsetDateTime at(PageCursor cursor) {
        return cursor == null ? null : SqlTime.of(cursor.at());
    }

    public static String id(PageCursor cursor) {
        return cursor == null ? null : cursor.id();
    }
}
