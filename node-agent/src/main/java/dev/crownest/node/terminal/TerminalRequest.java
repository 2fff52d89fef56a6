package dev.crownest.node.terminal;

import dev.crownest.node.sandbox.LocalSandbox;
import java.util.List;

/** An accepted terminal: where, how large, and what it runs ({@code command} null: the login shell). */
record TerminalRequest(LocalSandbox sandbox, int cols, int rows, String command) {
    /** The shell the terminal runs when no command is given: bash when the sandbox has it, else sh. */
    static final String LOGIN_SHELL = "if [ -x /bin/bash ]; then exec /bin/bash -l; fi; exec /bin/sh -l";

    /** Through {@code /bin/sh -c}: whether bash is there is the sandbox's own root's answer (it is writable). */
    List<String> argv() {
        return List.of("/bin/sh", "-c", command == null ? LOGIN_SHELL : command);
    }
}
