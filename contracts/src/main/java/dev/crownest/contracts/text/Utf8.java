package dev.crownest.contracts.text;

/** Where UTF-8 output can be cut without splitting a character: the worker's capped record and the gateway's stream both cut it. */
public final class Utf8 {

    private Utf8() {}

    /**
     * The length of {@code bytes[0, length)} without a multi-byte character begun in its last three
     * bytes and not finished there. Bytes that cannot start such a character are left for a decoder to
     * replace.
     */
    public static int completeLength(byte[] bytes, int length) {
        for (int back = 1; back <= Math.min(3, length); back++) {
            int b = bytes[length - back] & 0xff;
            if (b < 0x80) {
                return length; // ASCII: nothing unfinished after it
            }
            if (b >= 0xc0) { // a lead byte: how long is its character?
                int needed = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
                return needed > back ? length - back : length;
            }
            // a continuation byte: look further back for its lead
        }
        return length;
    }
}
