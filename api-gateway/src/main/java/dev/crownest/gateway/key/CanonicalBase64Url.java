package dev.crownest.gateway.key;

import java.util.Base64;
import java.util.Optional;

/**
 * Strict base64url (RFC 4648 §5, no padding) for signatures and signed credentials. Java's decoder is
 * lenient: it accepts {@code =} padding and ignores the unused low bits of the last character, so
 * several strings decode to the same bytes and a "changed" signature still verifies. Here a string is
 * accepted only when it is the one encoding of its bytes, so what is compared is the exact text that
 * was issued.
 */
public final class CanonicalBase64Url {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private CanonicalBase64Url() {}

    /** The text for {@code bytes}: base64url without padding. */
    public static String encode(byte[] bytes) {
        return ENCODER.encodeToString(bytes);
    }

    /** The bytes of {@code text} when it is their canonical encoding; empty otherwise (padding, stray bits, junk). */
    public static Optional<byte[]> decode(String text) {
        if (text == null || text.indexOf('=') >= 0) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = DECODER.decode(text);
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
        return ENCODER.encodeToString(bytes).equals(text) ? Optional.of(bytes) : Optional.empty();
    }
}
