package dev.crownest.gateway.key;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * New secrets, made at the edge so that only their SHA-256 ever travels further: API keys
 * ({@code cn_live_} + 40 random alphanumerics, ~238 bits) and tenant admin session tokens ({@code cn_admin_} + the same).
 */
public final class Secrets {
    private static final char[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final int LENGTH = 40;
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * Any secret this class makes, and webhook signing secrets (billing's {@code whsec_} and 32 random bytes
     * in base64url); stores outside the key cache use it to keep secrets out.
     */
    public static final Pattern ANY =
            Pattern.compile("cn_(live|admin)_[A-Za-z0-9]{" + LENGTH + "}|whsec_[A-Za-z0-9_-]{43}");

    private Secrets() {}

    public static String apiKey() {
        return "cn_live_" + random();
    }

    public static String adminToken() {
        return "cn_admin_" + random();
    }

    private static String random() {
        char[] chars = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            chars[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(chars);
    }
}
