package dev.crownest.gateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crownest.contracts.api.ApiException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ToolArgumentsTest {

    private static final ToolArguments ARGS =
            new ToolArguments(Map.of("id", "sb_1", "empty", "", "port", 8080, "big", 1L << 40, "half", 1.5));

    @Test
    void requiredReadsRefuseWhatIsMissing() {
        assertThat(ARGS.text("id")).isEqualTo("sb_1");
        assertThat(ARGS.content("empty")).isEmpty();
        assertThat(ARGS.integer("port")).isEqualTo(8080L);
        assertThat(ARGS.smallInteger("port")).isEqualTo(8080);
        assertInvalid(() -> ARGS.text("empty"), "argument 'empty' is required");
        assertInvalid(() -> ARGS.text("none"), "argument 'none' is required");
        assertInvalid(() -> ARGS.content("none"), "argument 'none' is required");
        assertInvalid(() -> ARGS.integer("none"), "argument 'none' is required");
        assertInvalid(() -> ARGS.text("port"), "argument 'port' must be a string");
        assertInvalid(() -> ARGS.integer("half"), "argument 'half' must be an integer");
        assertInvalid(() -> ARGS.smallInteger("big"), "argument 'big' is out of range");
    }

    private static void assertInvalid(Runnable read, String message) {
        assertThatThrownBy(read::run).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo("invalid_arguments");
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }
}
