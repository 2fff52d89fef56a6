package dev.crownest.kit.csv;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CsvRowTest {

    @Test
    void quotesOnlyWhatRfc4180NeedsQuotedAndDoublesQuotes() {
        assertThat(CsvRow.of("plain", null, "a,b", "say \"hi\"", "two\nlines", "cr\r"))
                .isEqualTo("plain,,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\r\"");
        assertThat(CsvRow.field("")).isEmpty();
        assertThat(CsvRow.of()).isEmpty();
    }
}
