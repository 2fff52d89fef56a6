package dev.crownest.node.exec;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CommandLineTest {

    @Test
    void aPlainCommandLineRunsWithoutAShell() {
        assertThat(CommandLine.argv("true")).containsExactly("true");
        assertThat(CommandLine.argv(" python3 -m http.server 8000 ")).containsExactly("python3", "-m", "http.server", "8000");
    }

    @Test
    void anythingAShellWouldInterpretGoesToTheShell() {
        for (String cmd : List.of("echo $HOME", "ls *.py", "a && b", "echo hi > f", "cd /tmp", "A=1 env", "echo 'x y'",
                "sleep 1 &", "exit 3", "echo ~", "x | y", "export A=1")) {
            assertThat(CommandLine.argv(cmd)).as(cmd).containsExactly("/bin/sh", "-c", cmd);
        }
    }
}
