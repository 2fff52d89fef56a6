package dev.crownest.sandbox.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.api.CollectFile;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CollectPathsTest {

    @Test
    void pathsAreNormalizedRelativeToTheWorkspaceAndNamedByTheirLastSegment() {
        assertThat(CollectPaths.normalize(List.of(
                        CollectFile.of("out/report.txt"),
                        CollectFile.of("/workspace/a//./b.bin"),
                        new CollectFile("./c.json", "result.json"))))
                .containsExactly(
                        new CollectFile("out/report.txt", "report.txt"),
                        new CollectFile("a/b.bin", "b.bin"),
                        new CollectFile("c.json", "result.json"));
        assertThat(CollectPaths.normalize(null)).isEmpty();
        assertThat(CollectPaths.normalize(List.of())).isEmpty();
    }

    @Test
    void escapesAndOddPathsAreA400() {
        for (String path : List.of(
                "../x",
                "a/../../x",
                "a/../b",
                "/etc/passwd",
                "/workspace",
                "/workspace/",
                "/workspacex/a",
                "",
                " ",
                ".",
                "a/\0b",
                "x".repeat(1025))) {
            assertThatThrownBy(() -> CollectPaths.normalize(List.of(CollectFile.of(path))))
                    .as(path)
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.code()).isEqualTo("invalid_collect_path");
                        assertThat(e.status()).isEqualTo(400);
                    });
        }
        var nullPath = new ArrayList<CollectFile>();
        nullPath.add(null);
        assertThatThrownBy(() -> CollectPaths.normalize(nullPath)).isInstanceOf(ApiException.class);
    }

    @Test
    void namesCountAndDuplicatesAreChecked() {
        assertThatThrownBy(() -> CollectPaths.normalize(List.of(new CollectFile("a", "x/y"))))
                .hasFieldOrPropertyWithValue("code", "invalid_collect_name");
        assertThatThrownBy(() -> CollectPaths.normalize(List.of(CollectFile.of("a"), CollectFile.of("/workspace/a"))))
                .hasFieldOrPropertyWithValue("code", "duplicate_collect_path");
        List<CollectFile> many = new ArrayList<>();
        for (int i = 0; i <= CollectPaths.MAX_FILES; i++) {
            many.add(CollectFile.of("f" + i));
        }
        assertThatThrownBy(() -> CollectPaths.normalize(many))
                .hasFieldOrPropertyWithValue("code", "too_many_collect_paths");
        assertThat(CollectPaths.normalize(many.subList(0, CollectPaths.MAX_FILES)))
                .hasSize(CollectPaths.MAX_FILES);
    }
}
