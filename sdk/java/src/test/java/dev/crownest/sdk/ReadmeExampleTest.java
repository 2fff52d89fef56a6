package dev.crownest.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The README's Java example is {@code example/Quickstart.java} word for word, and it prints what the
 * README says it prints when run as a user runs it: its own JVM, the stack's CROWNEST_API_URL and
 * CROWNEST_API_KEY in its environment.
 */
class ReadmeExampleTest {

    private static final Path SOURCE = Path.of("src/test/java/dev/crownest/sdk/example/Quickstart.java");
    private static final Path README = Path.of("../../README.md");

    /** The README's fenced block that follows {@code after} in the Java section (its text, no fences). */
    private static String readmeBlock(String fence, int index) throws IOException {
        String readme = Files.readString(README);
        String section = readme.substring(readme.indexOf("### Java: "));
        int at = -1;
        for (int i = 0; i <= index; i++) {
            at = section.indexOf(fence + "\n", at + 1);
        }
        int start = at + fence.length() + 1;
        return section.substring(start, section.indexOf("```\n", start));
    }

    @Test
    void theReadmeShowsTheExampleAsItIs() throws IOException {
        assertThat(readmeBlock("```java", 0)).isEqualTo(Files.readString(SOURCE));
    }

    @Test
    @Tag("stack")
    @Timeout(300)
    void theExamplePrintsWhatTheReadmeSays() throws Exception {
        Stack stack = Stack.fromEnvFile();
        ProcessBuilder pb = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "dev.crownest.sdk.example.Quickstart")
                .redirectErrorStream(true);
        pb.environment().put("CROWNEST_API_URL", stack.url);
        pb.environment().put("CROWNEST_API_KEY", stack.key);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(Duration.ofMinutes(4).toSeconds(), TimeUnit.SECONDS))
                .isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        List<String> expected = readmeBlock("```", 1).lines().toList();
        List<String> printed =
                out.lines().map(l -> l.replaceAll("snp_\\S+", "snp_...")).toList();
        assertThat(printed).isEqualTo(expected);
    }
}
