package dev.crownest.gateway.route;

import static java.util.Map.entry;

import dev.crownest.contracts.api.FileListing;
import dev.crownest.contracts.api.SignedUrl;
import dev.crownest.contracts.api.SignedUrlRequest;
import dev.crownest.gateway.route.RouteDocs.Doc;
import java.util.Map;

/** The OpenAPI entries of the file routes of {@code /workspace} (gateway package {@code file}), beside {@link RouteDocs}'. */
final class FileRouteDocs {
    static final Map<String, Doc> DOCS = Map.ofEntries(
            entry(
                    "GET /v1/sandboxes/{id}/files",
                    Doc.of("Read a file of /workspace: its raw bytes (application/octet-stream), " + "streamed")
                            .query("path")),
            entry(
                    "PUT /v1/sandboxes/{id}/files",
                    Doc.of("Write a file of /workspace from the raw body, or from the part "
                                    + "named 'file' of a multipart/form-data body; streamed, replaces the file whole, makes missing "
                                    + "directories: {path, size}. 413 above the upload cap. Not recorded for Idempotency-Key: "
                                    + "writing the same bytes again is the same file")
                            .query("path")),
            entry(
                    "POST /v1/sandboxes/{id}/files",
                    Doc.of("The same as PUT (multipart form uploads post)").query("path")),
            entry(
                    "DELETE /v1/sandboxes/{id}/files",
                    Doc.of("Delete a file, or a directory with all it holds (204)")
                            .query("path")
                            .answers(204, null)),
            entry(
                    "GET /v1/sandboxes/{id}/files/list",
                    Doc.of("List one directory of /workspace (default /workspace)")
                            .query("path")
                            .answers(200, FileListing.class)),
            entry(
                    "POST /v1/sandboxes/{id}/files/mkdir",
                    Doc.of("Make a directory with its parents: {path}")
                            .query("path")
                            .answers(201, null)),
            entry(
                    "POST /v1/sandboxes/{id}/files/move",
                    Doc.of("Move or rename: {from, to}; 409 file_exists when 'to' exists")
                            .query("from", "to")),
            entry(
                    "POST /v1/sandboxes/{id}/files/upload-url",
                    Doc.of(
                                    "A staged signed URL that writes this one file with "
                                            + "PUT (raw or multipart) and no API key until it expires (default 300 s, at most 3600 s)")
                            .body(SignedUrlRequest.class)
                            .answers(200, SignedUrl.class)),
            entry(
                    "POST /v1/sandboxes/{id}/files/download-url",
                    Doc.of("A staged signed URL that reads this one file with " + "GET and no API key until it expires")
                            .body(SignedUrlRequest.class)
                            .answers(200, SignedUrl.class)));

    private FileRouteDocs() {}
}
