package dev.crownest.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crownest.contracts.api.ApiException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;

class ConsoleRoutesTest {
    @TempDir
    Path dist;

    private WebTestClient client;

    @BeforeEach
    void bundle() throws IOException {
        Files.createDirectories(dist.resolve("assets"));
        Files.writeString(dist.resolve("index.html"), "<!doctype html><title>console</title>");
        Files.writeString(dist.resolve("assets/main-ABC.js"), "console.log(1)");
        Files.write(dist.resolve("assets/main-ABC.js.gz"), gzip("console.log(1)"));
        Files.writeString(dist.resolve("assets/main-ABC.css"), "body{}");
        client = WebTestClient.bindToRouterFunction(new ConsoleRoutes().console(new ConsoleProperties(dist.toString())))
                .build();
    }

    @Test
    void everyPageOfTheAppIsIndexHtmlNeverCached() {
        for (String path : new String[] {"/", "/sandboxes", "/sandboxes/sbx_1", "/operator", "/audit"}) {
            client.get()
                    .uri(path)
                    .exchange()
                    .expectStatus()
                    .isOk()
                    .expectHeader()
                    .contentType("text/html")
                    .expectHeader()
                    .cacheControl(CacheControl.noCache())
                    .expectHeader()
                    .value("Content-Security-Policy", csp -> assertThat(csp).contains("default-src 'self'"))
                    .expectBody(String.class)
                    .value(body -> assertThat(body).contains("<title>console</title>"));
        }
    }

    @Test
    void pathsThatAreNotTheConsolesAreLeftToTheApi() {
        for (String path : new String[] {"/v1/sandboxes", "/sandboxes/sbx_1/files", "/index.html", "/assets"}) {
            client.get().uri(path).exchange().expectStatus().isNotFound();
        }
    }

    @Test
    void assetsAreCachedForAYearWithTheirTypeAndGzipWhenTaken() {
        client.get()
                .uri("/assets/main-ABC.css")
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .contentType("text/css")
                .expectHeader()
                .value(HttpHeaders.CACHE_CONTROL, v -> assertThat(v).contains("max-age=31536000", "immutable"));
        client.get()
                .uri("/assets/main-ABC.js")
                .header(HttpHeaders.ACCEPT_ENCODING, "gzip, br")
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .valueEquals(HttpHeaders.CONTENT_ENCODING, "gzip")
                .expectHeader()
                .value(HttpHeaders.CONTENT_TYPE, v -> assertThat(v).endsWith("javascript"));
        client.get()
                .uri("/assets/main-ABC.js")
                .exchange()
                .expectHeader()
                .doesNotExist(HttpHeaders.CONTENT_ENCODING)
                .expectBody(String.class)
                .isEqualTo("console.log(1)");
    }

    @Test
    void nothingOutsideTheAssetsAndNoMissingBundleIsServed() {
        var bundle = new ConsoleRoutes.ConsoleBundle(dist);
        assertThatThrownBy(() -> bundle.asset("../index.html"))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo("asset_not_found"));
        assertThatThrownBy(() -> bundle.asset("main-ABC.js.gz"))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
        assertThatThrownBy(() -> new ConsoleRoutes.ConsoleBundle(null).index())
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo("console_not_built"));
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}
