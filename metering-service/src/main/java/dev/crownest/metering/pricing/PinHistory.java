package dev.crownest.metering.pricing;

import java.util.Arrays;

/**
 * One tenant's pins in time: second {@code s} is rated at the version of the latest pin effective at or
 * before {@code s}. Read for each rated batch, so a pin applies from its first second on every instance.
 */
public final class PinHistory {
    private final long[] effectiveFrom;
    private final String[] versions;

    /** {@code effectiveFrom} ascending, the first at or before every second rated (the default pin is at 0). */
    PinHistory(long[] effectiveFrom, String[] versions) {
        this.effectiveFrom = effectiveFrom;
        this.versions = versions;
    }

    /** The version in force at the epoch second. */
    public String versionAt(long second) {
        int i = Arrays.binarySearch(effectiveFrom, second);
        // not found: -(insertion point) - 1, and the pin before the insertion point is in force
        int at = i >= 0 ? i : -i - 2;
        return versions[Math.max(at, 0)];
    }
}
