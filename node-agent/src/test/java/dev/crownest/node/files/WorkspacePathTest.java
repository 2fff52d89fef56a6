package dev.crownest.node.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crownest.contracts.api.ApiException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WorkspacePathTest {

    @ParameterizedTest
    @CsvSource({
        "a.txt, /workspace/a.txt",
        "/workspace/a/b, /workspace/a/b",
        "/workspace, /workspace",
        "'', /workspace",
        "./a//b/./c/, /workspace/a/b/c",
        "a/../b, /workspace/b",
        "/workspace/a/.., /workspace"
    })
    void pathsInsideAreNamesFromWorkspaceDown(String raw, String shown) {
        assertThat(WorkspacePath.parse(raw).toString()).isEqualTo(shown);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"..", "../etc/passwd", "a/../../b", "/etc/passwd", "/workspace/../etc", "/workspacex/a", "/"})
    void pathsOutsideAreRefused(String raw) {
        assertThatThrownBy(() -> WorkspacePath.parse(raw))
                .isInstanceOf(ApiException.class)
                .extracting(e -> ((ApiException) e).code())
                .isEqualTo("path_outside_workspace");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\0b"})
    void aNulCharacterIsInvalid(String raw) {
        assertThatThrownBy(() -> WorkspacePath.parse(raw))
                .isInstanceOf(ApiException.class)
                .extracting(e -> ((ApiException) e).code())
                .isEqualTo("invalid_text");
    }
}
