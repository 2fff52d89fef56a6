package dev.crownest.gateway.console;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RequestPredicates.HEAD;

import dev.crownest.contracts.api.ApiException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.MediaTypeFactory;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Serves the web console (console/) on the API's host: its pages (the single-page app's own paths, each
 * answered with index.html, never cached, so a new build is picked up at once) and its content-hashed
 * assets (cached for a year: a changed file has a new name). Only these paths: everything under /v1 keeps
 * its routes and errors, and preview hosts never get here (PreviewGate takes them first, a filter before
 * any route). Ordered before the API's catch-all, which answers every other path 404.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleRoutes {
    /** The console's client-side paths (console/src/main.tsx); anything else is not the console's. */
    static final List<String> PAGES = List.of(
            "/", "/signin", "/sandboxes", "/sandboxes/{id}", "/usage", "/billing", "/keys", "/audit", "/operator");

    /**
     * The console talks to its own origin only; styles may be inline because xterm.js writes its theme
     * into a style element. No framing (clickjacking), no referrer (a sandbox id in a path stays here).
     */
    static final String POLICY = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:;"
            + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

    @Bean
    @Order(0)
    RouterFunction<ServerResponse> console(ConsoleProperties properties) {
        RequestPredicate pages = PAGES.stream()
                .map(path -> GET(path).or(HEAD(path)))
                .reduce(RequestPredicate::or)
                .orElseThrow();
        ConsoleBundle bundle = new ConsoleBundle(properties.root());
        return RouterFunctions.route(pages, request -> Mono.defer(() -> page(bundle)))
                .andRoute(
                        GET("/assets/{file}").or(HEAD("/assets/{file}")),
                        request -> Mono.defer(() -> asset(bundle, request)));
    }

    private static Mono<ServerResponse> page(ConsoleBundle bundle) {
        Path index = bundle.index();
        return ServerResponse.ok()
                .contentType(MediaType.TEXT_HTML)
                .cacheControl(CacheControl.noCache())
                .headers(ConsoleRoutes::secure)
                .bodyValue(new FileSystemResource(index));
    }

    private static Mono<ServerResponse> asset(ConsoleBundle bundle, ServerRequest request) {
        String name = request.pathVariable("file");
        Path file = bundle.asset(name);
        MediaType type = MediaTypeFactory.getMediaType(name).orElse(MediaType.APPLICATION_OCTET_STREAM);
        // the build writes a gzip copy of every asset beside it: sent to clients that take gzip
        Path gzip = file.resolveSibling(file.getFileName() + ".gz");
        boolean zipped =
                request.headers().header(HttpHeaders.ACCEPT_ENCODING).stream().anyMatch(value -> value.contains("gzip"))
                        && Files.isRegularFile(gzip);
        return ServerResponse.ok()
                .contentType(type)
                .cacheControl(
                        CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable())
                .headers(headers -> {
                    secure(headers);
                    headers.add(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING);
                    if (zipped) {
                        headers.set(HttpHeaders.CONTENT_ENCODING, "gzip");
                    }
                })
                .bodyValue(new FileSystemResource(zipped ? gzip : file));
    }

    private static void secure(HttpHeaders headers) {
        headers.set("Content-Security-Policy", POLICY);
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Referrer-Policy", "no-referrer");
    }

    /** The built bundle on disk; a missing bundle or file is the API's 404, never a stack trace. */
    record ConsoleBundle(Path root) {
        Path index() {
            return existing(root == null ? null : root.resolve("index.html"), "console_not_built");
        }

        Path asset(String name) {
            if (root == null) {
                return existing(null, "console_not_built");
            }
            Path assets = root.resolve("assets");
            Path file = assets.resolve(name).normalize();
            if (!file.getParent().equals(assets) || name.endsWith(".gz")) {
                return existing(null, "asset_not_found");
            }
            return existing(file, "asset_not_found");
        }

        private static Path existing(Path file, String code) {
            if (file == null || !Files.isRegularFile(file)) {
                throw new ApiException(
                        HttpStatus.NOT_FOUND.value(),
                        "not_found",
                        code,
                        code.equals("console_not_built")
                                ? "the console is not built here: run ./crownest up, or set CROWNEST_CONSOLE_DIR"
                                : "no such console asset");
            }
            return file;
        }
    }
}
