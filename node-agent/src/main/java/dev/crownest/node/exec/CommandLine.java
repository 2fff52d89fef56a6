package dev.crownest.node.exec;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * How a command string is started inside the sandbox. A plain command line (words of letters,
 * digits and {@code _./=:,+@%-}, no quoting, expansion, redirection, globbing or builtins) whose
 * program the template has on its PATH means the same with or without a shell, so it is started
 * directly and saves the shell's exec; anything else goes to {@code /bin/sh -c} (which also answers
 * a missing program with 127, where runsc exec would fail).
 */
final class CommandLine {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./=:,+@%-]+( +[A-Za-z0-9_./=:,+@%-]+)*");
    /** Words a shell answers itself (or treats specially) rather than running a program of that name. */
    private static final Set<String> SHELL_WORDS = Set.of(
            ".",
            ":",
            "alias",
            "bg",
            "break",
            "case",
            "cd",
            "command",
            "continue",
            "do",
            "done",
            "elif",
            "else",
            "esac",
            "eval",
            "exec",
            "exit",
            "export",
            "fc",
            "fg",
            "fi",
            "for",
            "getopts",
            "hash",
            "if",
            "jobs",
            "local",
            "read",
            "readonly",
            "return",
            "set",
            "shift",
            "source",
            "then",
            "times",
            "trap",
            "type",
            "ulimit",
            "umask",
            "unalias",
            "unset",
            "until",
            "wait",
            "while");

    private CommandLine() {}

    static List<String> argv(String cmd, Predicate<String> onTemplatePath) {
        String trimmed = cmd.strip();
        if (PLAIN.matcher(trimmed).matches()) {
            List<String> words = Arrays.asList(trimmed.split(" +"));
            // An assignment prefix (A=b cmd) is shell syntax too.
            String program = words.getFirst();
            if (!SHELL_WORDS.contains(program)
                    && !program.contains("=")
                    && !program.contains("/")
                    && onTemplatePath.test(program)) {
                return words;
            }
        }
        return List.of("/bin/sh", "-c", cmd);
    }
}
