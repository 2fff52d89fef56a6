package dev.crownest.nodeclient.protocol;

/**
 * Bytes {@code from} (inclusive) to {@code to} (exclusive) of a command's {@code stream} (stdout, stderr)
 * that were not kept, so a reader that asked for them is told instead ({@link ExecFrames#GAP}).
 */
public record OutputGap(String stream, long from, long to) {
    /** How many bytes are missing. */
    public long bytes() {
        return to - from;
    }
}
