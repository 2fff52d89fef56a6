package dev.crownest.sandbox.sandbox;

import java.util.Locale;

/** Where a sandbox is in its life; the wire form is the lower-case name. */
public enum SandboxStatus {
    STARTING, RUNNING, PAUSED, KILLED, EXPIRED, FAILED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Killed, expired and failed sandboxes never come back. */
    public boolean ended() {
        return this == KILLED || this == EXPIRED || this == FAILED;
    }
}
