package dev.crownest.sdk;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The stack the tests tagged {@code stack} run against: the {@code KEY=value} lines of
 * {@code CROWNEST_ENV_FILE} (what {@code ./crownest up} and {@code ./crownest test} write). Without it they
 * skip. Nothing is mocked.
 */
final class Stack {

    final String url;
    final String key;
    final String adminToken;

    private Stack(String url, String key, String adminToken) {
        this.url = url;
        this.key = key;
        this.adminToken = adminToken;
    }

    /** The stack of CROWNEST_ENV_FILE; the test is skipped when none is given. */
    static Stack fromEnvFile() {
        String file = System.getenv("CROWNEST_ENV_FILE");
        assumeTrue(file != null && !file.isBlank(), "no stack: set CROWNEST_ENV_FILE (see infra/scripts/test.sh)");
        Properties env = new Properties();
        try (var reader = Files.newBufferedReader(Path.of(file))) {
            env.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + "; is the stack up?", e);
        }
        return new Stack(
                env.getProperty("CROWNEST_API_URL"),
                env.getProperty("CROWNEST_API_KEY"),
                env.getProperty("CROWNEST_ADMIN_TOKEN"));
    }

    /** A client of this stack, or of {@code url} (a proxy in front of it). */
    CrowNest.Builder client(String url) {
        return CrowNest.builder().apiKey(key).baseUrl(url);
    }

    CrowNest client() {
        return client(url).build();
    }

    /** Whether the stack serves {@code METHOD path} (routes built in parallel, e.g. the stream route). */
    boolean hasRoute(CrowNest client, String method, String path) {
        return !client.get("/v1/openapi.json")
                .path("paths")
                .path(path)
                .path(method.toLowerCase())
                .isMissingNode();
    }
}
