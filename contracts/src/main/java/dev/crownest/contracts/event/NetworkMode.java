package dev.crownest.contracts.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Egress of a sandbox: none, through the node's allowlisting proxy, or open. */
public enum NetworkMode {
    OFF,
    RESTRICTED,
    OPEN;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the wire form; {@code null} for anything else, so callers can answer 400. */
    @JsonCreator
    public static NetworkMode fromWire(String value) {
        for (NetworkMode mode : values()) {
            if (mode.wire().equals(value)) {
                return mode;
            }
        }
        return null;
    }
}
