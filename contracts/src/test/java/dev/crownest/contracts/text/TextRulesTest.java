package dev.crownest.contracts.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.node.WorkspacePaths;
import org.junit.jupiter.api.Test;

class TextRulesTest {

    @Test
    void controlCharactersAreRefusedNamingTheFieldButNotTheValue() {
        for (String bad : new String[] {"a\0b", "\u0001", "x\u001b[31m", "\u007f", "\u0085", "\ud800", "a\udc00"}) {
            assertThatThrownBy(() -> TextRules.check("field 'metadata.k'", bad, false))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.code()).isEqualTo("invalid_text");
                        assertThat(e.getMessage()).startsWith("field 'metadata.k' contains");
                    });
        }
    }

    @Test
    void tabsAndLineBreaksOnlyWhereTextIsMultiLine() {
        assertThatCode(() -> TextRules.check("cmd", "echo a\n\techo b\r\n", true))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> TextRules.check("name", "a\nb", false)).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> TextRules.check("cmd", "echo \0", true)).isInstanceOf(ApiException.class);
    }

    @Test
    void unicodeTextIsAccepted() {
        assertThatCode(() -> TextRules.check("name", "Zürich ✓ 日本 🦀 \u200b", false))
                .doesNotThrowAnyException();
    }

    @Test
    void multiLineFieldsAreTheCommandItsStdinAndEnvironmentValues() {
        assertThat(TextRules.multiLine("cmd")).isTrue();
        assertThat(TextRules.multiLine("stdin")).isTrue();
        assertThat(TextRules.multiLine("env.SSH_KEY")).isTrue();
        assertThat(TextRules.multiLine("metadata.note")).isFalse();
        assertThat(TextRules.multiLine("cwd")).isFalse();
        assertThat(TextRules.multiLine("collect[0].path")).isFalse();
        assertThat(TextRules.multiLine("run[1]")).isTrue();
        assertThat(TextRules.multiLine("files./opt/tools/config.json")).isTrue();
        assertThat(TextRules.multiLine("params.arguments.code")).isTrue();
        assertThat(TextRules.multiLine("params.arguments.sandbox_id")).isFalse();
        assertThat(TextRules.multiLine("name")).isFalse();
    }

    @Test
    void aNameOver255BytesIsTooLongAndControlCharactersInPathsAreInvalidText() {
        String max = "a".repeat(255);
        assertThat(WorkspacePaths.normalize("d/" + max)).isEqualTo("/workspace/d/" + max);
        assertThatThrownBy(() -> WorkspacePaths.names("d/" + "a".repeat(256)))
                .isInstanceOfSatisfying(
                        WorkspacePaths.Refused.class, e -> assertThat(e.code()).isEqualTo("name_too_long"));
        // 128 two-byte characters: 256 bytes
        assertThatThrownBy(() -> WorkspacePaths.names("é".repeat(128)))
                .isInstanceOfSatisfying(
                        WorkspacePaths.Refused.class, e -> assertThat(e.code()).isEqualTo("name_too_long"));
        assertThatThrownBy(() -> WorkspacePaths.names("a\0b"))
                .isInstanceOfSatisfying(
                        WorkspacePaths.Refused.class, e -> assertThat(e.code()).isEqualTo("invalid_text"));
    }
}
