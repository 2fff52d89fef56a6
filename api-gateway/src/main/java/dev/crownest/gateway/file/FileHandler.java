package dev.crownest.gateway.file;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.api.SignedUrl;
import dev.crownest.contracts.api.SignedUrlRequest;
import dev.crownest.gateway.key.ApiKeyAuthentication;
import dev.crownest.gateway.request.RequestIds;
import dev.crownest.gateway.upstream.JsonBodies;
import dev.crownest.nodeclient.NodeAnswer;
import dev.crownest.nodeclient.protocol.NodePaths;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code /v1/sandboxes/{id}/files...}: read, write (raw body or multipart), delete, list, mkdir and move
 * inside /workspace, and the staged signed URLs for large reads and writes. Every call first asks
 * sandbox-service whether the sandbox is the caller's and running (another tenant's is 404), then the
 * node agent does the work; contents stream through without being held.
 */
@Component
public class FileHandler {

    private final SandboxFiles files;
    private final SignedFileUrls urls;
    private final JsonBodies bodies;
    private final FilesProperties settings;
    private final FileChanges changes;

    FileHandler(
            SandboxFiles files, SignedFileUrls urls, JsonBodies bodies, FilesProperties settings, FileChanges changes) {
        this.files = files;
        this.changes = changes;
        this.urls = urls;
        this.bodies = bodies;
        this.settings = settings;
    }

    /** {@code GET ?path=}: the file's bytes, streamed. */
    public Mono<ServerResponse> read(ServerRequest request) {
        return download(request, caller(request), request.pathVariable("id"), path(request, "path"));
    }

    /** {@code PUT|POST ?path=}: the body (raw, or a multipart {@code file} part) becomes the file. */
    public Mono<ServerResponse> write(ServerRequest request) {
        return upload(request, caller(request), request.pathVariable("id"), path(request, "path"));
    }

    public Mono<ServerResponse> delete(ServerRequest request) {
        String path = path(request, "path");
        return small(request, HttpMethod.DELETE, NodePaths.FILES, Map.of("path", path), "deleted", path, null);
    }

    public Mono<ServerResponse> list(ServerRequest request) {
        String path = PathParameters.normalize(request.queryParam("path").orElse("/workspace"));
        return small(request, HttpMethod.GET, NodePaths.FILES_LIST, Map.of("path", path), null, path, null);
    }

    public Mono<ServerResponse> mkdir(ServerRequest request) {
        String path = path(request, "path");
        return small(request, HttpMethod.POST, NodePaths.FILES_MKDIR, Map.of("path", path), "mkdir", path, null);
    }

    /** {@code POST ?from=&to=} (query parameters, as Daytona's files API and the node agent take them). */
    public Mono<ServerResponse> move(ServerRequest request) {
        String from = path(request, "from");
        String to = path(request, "to");
        return small(request, HttpMethod.POST, NodePaths.FILES_MOVE, Map.of("from", from, "to", to), "moved", from, to);
    }

    public Mono<ServerResponse> uploadUrl(ServerRequest request) {
        return signedUrl(request, SignedFileUrls.Operation.WRITE);
    }

    public Mono<ServerResponse> downloadUrl(ServerRequest request) {
        return signedUrl(request, SignedFileUrls.Operation.READ);
    }

    private Mono<ServerResponse> signedUrl(ServerRequest request, SignedFileUrls.Operation operation) {
        FileCaller caller = caller(request);
        String sandboxId = request.pathVariable("id");
        return bodies.read(request, SignedUrlRequest.class).flatMap(body -> {
            String path = PathParameters.normalize(body.path());
            Duration ttl = body.expiresInSeconds() == null
                    ? settings.defaultUrlTtl()
                    : Duration.ofSeconds(body.expiresInSeconds());
            if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(settings.maxUrlTtl()) > 0) {
                return Mono.error(ApiException.badRequest(
                        "invalid_expiry",
                        "expiresInSeconds must be between 1 and "
                                + settings.maxUrlTtl().toSeconds()));
            }
            // whole seconds: the URL carries its expiry in seconds
            Instant expiresAt = Instant.ofEpochSecond(urls.now().plus(ttl).getEpochSecond());
            var grant =
                    new SignedFileUrls.Grant(operation, sandboxId, caller.tenantId(), caller.actor(), path, expiresAt);
            String url = baseUrl(request) + urls.pathAndQuery(grant);
            String method = operation == SignedFileUrls.Operation.READ ? "GET" : "PUT";
            return files.requireRunning(caller, sandboxId, RequestIds.of(request.exchange()))
                    .then(ServerResponse.ok()
                            .contentType(MediaType.APPLICATION_JSON)
                            .bodyValue(new SignedUrl(url, method, path, expiresAt)));
        });
    }

    /** Streams the file to the client, as the key's route and a signed read URL both answer it. */
    Mono<ServerResponse> download(ServerRequest request, FileCaller caller, String sandboxId, String path) {
        String requestId = RequestIds.of(request.exchange());
        return files.requireRunning(caller, sandboxId, requestId)
                .then(files.read(sandboxId, path, requestId))
                .flatMap(entity -> {
                    ServerResponse.BodyBuilder response = ServerResponse.ok()
                            .contentType(MediaType.APPLICATION_OCTET_STREAM)
                            .header(
                                    HttpHeaders.CONTENT_DISPOSITION,
                                    disposition(path.substring(path.lastIndexOf('/') + 1)));
                    long length = entity.getHeaders().getContentLength();
                    if (length >= 0) {
                        response.contentLength(length);
                    }
                    Flux<DataBuffer> body = entity.getBody() == null ? Flux.empty() : entity.getBody();
                    return response.body(BodyInserters.fromDataBuffers(body));
                });
    }

    /** Streams the upload to the node, as the key's route and a signed write URL both take it. */
    Mono<ServerResponse> upload(ServerRequest request, FileCaller caller, String sandboxId, String path) {
        String requestId = RequestIds.of(request.exchange());
        long max = settings.maxUploadSize().toBytes();
        return files.requireRunning(caller, sandboxId, requestId)
                .then(UploadContent.of(
                        request, max, (content, length) -> files.write(sandboxId, path, content, length, requestId)))
                // our own refusal (413) aborts the node's request; it must not read as "node unavailable"
                .onErrorMap(WebClientRequestException.class, e -> e.getCause() instanceof ApiException own ? own : e)
                .flatMap(answer -> changes.record(
                        answer, answer.status().is2xxSuccessful(), caller, sandboxId, "written", path, null))
                .flatMap(FileHandler::json);
    }

    /** A call without a body stream; {@code change} (null for a read) goes to the audit log once the node did it. */
    private Mono<ServerResponse> small(
            ServerRequest request,
            HttpMethod method,
            String nodePath,
            Map<String, String> query,
            String change,
            String path,
            String toPath) {
        String sandboxId = request.pathVariable("id");
        String requestId = RequestIds.of(request.exchange());
        FileCaller caller = caller(request);
        return files.requireRunning(caller, sandboxId, requestId)
                .then(files.call(method, sandboxId, nodePath, query, requestId))
                .flatMap(answer -> changes.record(
                        answer,
                        change != null && answer.status().is2xxSuccessful(),
                        caller,
                        sandboxId,
                        change,
                        path,
                        toPath))
                .flatMap(FileHandler::json);
    }

    private static Mono<ServerResponse> json(NodeAnswer answer) {
        ServerResponse.BodyBuilder response = ServerResponse.status(answer.status());
        return answer.body().length == 0
                ? response.build()
                : response.contentType(MediaType.APPLICATION_JSON).bodyValue(answer.body());
    }

    /** {@code attachment; filename=...}, with the RFC 5987 form only when the name is not plain ASCII. */
    private static String disposition(String name) {
        ContentDisposition.Builder attachment = ContentDisposition.attachment();
        boolean ascii = name.chars().allMatch(c -> c >= 0x20 && c < 0x7f && c != '"' && c != '\\');
        return (ascii ? attachment.filename(name) : attachment.filename(name, StandardCharsets.UTF_8))
                .build()
                .toString();
    }

    private static FileCaller caller(ServerRequest request) {
        return FileCaller.of(ApiKeyAuthentication.grant(request));
    }

    private static String path(ServerRequest request, String name) {
        return PathParameters.normalize(request.queryParam(name)
                .orElseThrow(() -> ApiException.badRequest("invalid_path", name + " is required")));
    }

    /** The gateway as the client addressed it, so the URL works from where the client stands. */
    private static String baseUrl(ServerRequest request) {
        var uri = request.uri();
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }
}
