package dev.crownest.kit.seal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals environment values under the stack key (AES-256-GCM), so that the event store, Kafka and
 * every consumer's copy hold only ciphertext; the execution worker opens them just before it calls
 * the node. A sealed value is {@value #PREFIX} + base64(12-byte nonce | ciphertext | tag); the
 * variable's name is the additional authenticated data, so a value cannot be moved to another name.
 *
 * <p>The key is the SHA-256 of the stack's {@code SEALING_KEY} secret ({@code crownest.sealing-key}).
 */
public final class EnvSeal {
    /** Marks a sealed value; values without it (events written before sealing) are passed through. */
    public static final String PREFIX = "sealed:v1:";

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    public EnvSeal(String secret) {
        if (secret == null || secret.length() < 32) {
            throw new IllegalArgumentException("the sealing key must be at least 32 characters");
        }
        this.key = new SecretKeySpec(sha256(secret.getBytes(StandardCharsets.UTF_8)), "AES");
    }

    /** Every value sealed; null maps and null values stay null, for the caller's own validation. */
    public Map<String, String> seal(Map<String, String> env) {
        return transform(env, true);
    }

    /** Every sealed value opened; a value not sealed is returned as it is. */
    public Map<String, String> open(Map<String, String> env) {
        return transform(env, false);
    }

    private Map<String, String> transform(Map<String, String> env, boolean seal) {
        if (env == null) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        env.forEach(
                (name, value) -> out.put(name, value == null ? null : seal ? seal(name, value) : open(name, value)));
        return out;
    }

    String seal(String name, String value) {
        if (value.startsWith(PREFIX)) {
            return value;
        }
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, name);
            byte[] sealed = cipher.doFinal(value.getBytes(StandardCharsets.UTF_8));
            byte[] all = new byte[nonce.length + sealed.length];
            System.arraycopy(nonce, 0, all, 0, nonce.length);
            System.arraycopy(sealed, 0, all, nonce.length, sealed.length);
            return PREFIX + Base64.getEncoder().encodeToString(all);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    String open(String name, String value) {
        if (!value.startsWith(PREFIX)) {
            return value;
        }
        try {
            byte[] all = Base64.getDecoder().decode(value.substring(PREFIX.length()));
            byte[] nonce = new byte[NONCE_BYTES];
            System.arraycopy(all, 0, nonce, 0, NONCE_BYTES);
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, nonce, name);
            return new String(cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            // Never the value or the key in the message: only which variable failed.
            throw new SealException("env " + name + " cannot be opened with this stack's sealing key");
        }
    }

    private Cipher cipher(int mode, byte[] nonce, String name) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(name.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A sealed value that this key does not open (another stack's key, or tampered bytes). */
    public static final class SealException extends RuntimeException {
        public SealException(String message) {
            super(message);
        }
    }
}
