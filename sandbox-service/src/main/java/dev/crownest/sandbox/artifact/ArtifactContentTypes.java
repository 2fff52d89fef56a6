package dev.crownest.sandbox.artifact;

import org.springframework.http.MediaType;
import org.springframework.http.MediaTypeFactory;

/**
 * The content type of an artifact, guessed from its name (Spring's table of extensions); unknown
 * names are {@code application/octet-stream}. The content is never sniffed: a client that wants to
 * render it should not trust more than the name said.
 */
final class ArtifactContentTypes {

    private ArtifactContentTypes() {}

    static String of(String name) {
        return MediaTypeFactory.getMediaType(name)
                .orElse(MediaType.APPLICATION_OCTET_STREAM)
                .toString();
    }
}
