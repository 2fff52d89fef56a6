package dev.crownest.sdk;

import java.util.List;

/**
 * One page of a list; pass {@code nextCursor} as the next call's cursor (null on the last page).
 *
 * @param <T> the listed type
 */
public record Page<T>(List<T> data, String nextCursor) {

    /** Whether a next page exists. */
    public boolean hasMore() {
        return nextCursor != null;
    }
}
