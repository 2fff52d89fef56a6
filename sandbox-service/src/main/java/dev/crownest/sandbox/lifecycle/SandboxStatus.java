package dev.crownest.sandbox.lifecycle;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Where a sandbox is in its life; the wire form is the lower-case name. */
public enum SandboxStatus {
    STARTING,
    RUNNING,
    PAUSED,
    KILLED,
    EXPIRED,
    FAILED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status of this wire form, or null. */
    public static SandboxStatus fromWire(String wire) {
        for (SandboxStatus status : values()) {
            if (status.wire().equals(wire)) {
                return status;
            }
        }
        return null;
    }

    /** Every wire form, for error messages. */
    public static String wires() {
        return Arrays.stream(values()).map(SandboxStatus::wire).collect(Collectors.joining(", "));
    }

    /** Killed, expired and failed sandboxes never come back. */
    public boolean ended() {
        return this == KILLED || this == EXPIRED || this == FAILED;
    }
}
