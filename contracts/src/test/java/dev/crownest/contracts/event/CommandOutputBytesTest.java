package dev.crownest.contracts.event;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A command-output record reads back as the record written, whatever bytes the output holds. */
class CommandOutputBytesTest {

    @Test
    void outputReadsBackWithItsBytesAsTheyWere() {
        byte[] bytes = {'h', 'i', 0, (byte) 0xff, '\n'};
        CommandOutput chunk = new CommandOutput("cmd_1", "sbx_1", "t", 3, CommandOutput.STDERR, bytes, null, null);

        CommandOutput read = CommandOutputBytes.decode(CommandOutputBytes.encode(chunk));

        assertThat(read.data()).containsExactly(bytes);
        assertThat(read).usingRecursiveComparison().ignoringFields("data").isEqualTo(chunk);
    }

    @Test
    void exitKeepsItsCodeAndTimeoutAndNullsStayNull() {
        CommandOutput exit = new CommandOutput("cmd_é", "sbx_1", null, 7, CommandOutput.EXIT, null, 137, true);
        assertThat(CommandOutputBytes.decode(CommandOutputBytes.encode(exit))).isEqualTo(exit);

        CommandOutput notTimedOut = new CommandOutput("cmd_1", "sbx_1", "t", 0, CommandOutput.EXIT, null, 0, false);
        assertThat(CommandOutputBytes.decode(CommandOutputBytes.encode(notTimedOut))).isEqualTo(notTimedOut);

        CommandOutput empty = new CommandOutput("cmd_1", "sbx_1", "t", 0, CommandOutput.STDOUT, new byte[0], null, null);
        assertThat(CommandOutputBytes.decode(CommandOutputBytes.encode(empty)).data()).isEmpty();
    }

    @Test
    void aValueCutShortOrOfAnotherVersionIsRefused() {
        byte[] value = CommandOutputBytes.encode(new CommandOutput("cmd_1", "sbx_1", "t", 1, CommandOutput.STDOUT, null, null, null));

        assertThatThrownBy(() -> CommandOutputBytes.decode(Arrays.copyOf(value, value.length - 2)))
                .isInstanceOf(IllegalArgumentException.class);
        value[0] = 9;
        assertThatThrownBy(() -> CommandOutputBytes.decode(value)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version");
    }
}
