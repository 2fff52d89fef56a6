package dev.crownest.node.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void aPlainCommandLineRunsWithoutAShell() {
        assertThat(CommandLine.argv("true", p -> true)).containsExactly("true");
        assertThat(CommandLine.argv(" python3 -m http.server 8000 ", p -> true))
                .containsExactly("python3", "-m", "http.server", "8000");
    }

    @Test
    void aProgramTheTemplateDoesNotHaveIsLeftToTheShell() {
        // It may have been installed into the sandbox since; if not, the shell answers 127.
        assertThat(CommandLine.argv("no-such-command", p -> false)).containsExactly("/bin/sh", "-c", "no-such-command");
    }

    @Test
    void anythingAShellWouldInterpretGoesToTheShell() {
        for (String cmd : List.of(
                "echo $HOME",
                "ls *.py",
                "a && b",
                "echo hi > f",
                "cd /tmp",
                "A=1 env",
                "echo 'x y'",
                "sleep 1 &",
                "exit 3",
                "echo ~",
                "x | y",
                "export A=1",
                "./run.sh")) {
            assertThat(CommandLine.argv(cmd, p -> true)).as(cmd).containsExactly("/bin/sh", "-c", cmd);
        }
    }
}
