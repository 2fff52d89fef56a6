package dev.crownest.gateway.file;

import java.util.regex.Pattern;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * Which requests carry file content. The idempotency filter lets them pass unrecorded: a write puts the
 * same bytes at the same path again (the node renames a complete temporary file over the target), so a
 * retry is safe by itself, while recording it would mean holding or hashing up to the upload cap before
 * anything is forwarded.
 */
public final class FileUploads {
    private static final Pattern CONTENT = Pattern.compile("/v1/sandboxes/[^/]+/files|/v1/signed/files");

    private FileUploads() {}

    public static boolean carriesFileContent(ServerHttpRequest request) {
        return (request.getMethod() == HttpMethod.PUT || request.getMethod() == HttpMethod.POST)
                && CONTENT.matcher(request.getPath().value()).matches();
    }
}
