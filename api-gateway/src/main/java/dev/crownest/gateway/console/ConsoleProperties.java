package dev.crownest.gateway.console;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The web console ({@code crownest.console.*}).
 *
 * @param dir the console's built bundle ({@code console/dist}: index.html and assets/), which {@code ./crownest up}
 *            builds and points {@code CROWNEST_CONSOLE_DIR} at; empty: no console, its paths answer 404
 *            {@code console_not_built}
 */
@ConfigurationProperties("crownest.console")
public record ConsoleProperties(@DefaultValue("") String dir) {

    /** The bundle's directory, or null when none is configured. */
    public Path root() {
        return dir.isBlank() ? null : Path.of(dir).toAbsolutePath().normalize();
    }
}
