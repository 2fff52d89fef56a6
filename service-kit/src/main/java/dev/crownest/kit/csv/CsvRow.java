package dev.crownest.kit.csv;

import java.util.Arrays;
import java.util.stream.Collectors;

/** One line of RFC 4180 CSV, as the finance exports write them: comma-separated, quoted where needed. */
public final class CsvRow {
    private CsvRow() {}

    /** The values as one line, without its line ending (the caller's: {@code \n} or {@code \r\n}); null is empty. */
    public static String of(String... values) {
        return Arrays.stream(values).map(CsvRow::field).collect(Collectors.joining(","));
    }

    /** One field: quoted, with quotes doubled, only when it holds a comma, a quote or a line break. */
    public static String field(String value) {
        if (value == null) {
            return "";
        }
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
