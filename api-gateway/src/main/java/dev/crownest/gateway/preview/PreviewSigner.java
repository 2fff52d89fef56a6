package dev.crownest.gateway.preview;

import dev.crownest.gateway.key.CanonicalBase64Url;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Signs and checks preview credentials: {@code base64url(kind|previewId|keyId|expiresEpochSecond|nonce)}
 * {@code .base64url(HMAC-SHA256)}. A token ({@code t}) is exchanged once for a session ({@code s}),
 * which is the cookie's value. Both name one preview and the API key that minted them (the session ends
 * with that key), and expire; nothing of them is stored. Both parts must be canonical base64url.
 */
@Component
public class PreviewSigner {
    static final String TOKEN = "t";
    static final String SESSION = "s";
    private static final Logger log = LoggerFactory.getLogger(PreviewSigner.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a valid credential says: its preview, the key that minted it, and its single-use nonce. */
    record Signed(String previewId, String keyId, String nonce) {}

    private final SecretKeySpec key;
    private final Clock clock;

    public PreviewSigner(PreviewProperties properties, Clock clock) {
        byte[] secret = properties.secret().getBytes(StandardCharsets.UTF_8);
        if (secret.length == 0) {
            secret = new byte[32];
            RANDOM.nextBytes(secret);
            log.warn(
                    "crownest.preview.secret is not set: preview tokens and sessions work at this gateway only, until it restarts");
        }
        this.key = new SecretKeySpec(secret, "HmacSHA256");
        this.clock = clock;
    }

    /** A credential of {@code kind} for one preview, minted by {@code keyId}, valid until {@code expiresAt}. */
    public String sign(String kind, String previewId, String keyId, Instant expiresAt) {
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        String payload = String.join(
                "|",
                kind,
                previewId,
                keyId,
                Long.toString(expiresAt.getEpochSecond()),
                HexFormat.of().formatHex(nonce));
        byte[] body = payload.getBytes(StandardCharsets.UTF_8);
        return CanonicalBase64Url.encode(body) + "." + CanonicalBase64Url.encode(mac(body));
    }

    /**
     * What the credential says when it is of {@code kind}, for {@code previewId}, signed here and not
     * expired; empty otherwise (never saying which).
     */
    public Optional<Signed> verify(String credential, String kind, String previewId) {
        if (credential == null) {
            return Optional.empty();
        }
        int dot = credential.indexOf('.');
        if (dot <= 0 || dot == credential.length() - 1) {
            return Optional.empty();
        }
        Optional<byte[]> body = CanonicalBase64Url.decode(credential.substring(0, dot));
        Optional<byte[]> mac = CanonicalBase64Url.decode(credential.substring(dot + 1));
        if (body.isEmpty() || mac.isEmpty() || !MessageDigest.isEqual(mac.get(), mac(body.get()))) {
            return Optional.empty();
        }
        String[] parts = new String(body.get(), StandardCharsets.UTF_8).split("\\|", -1);
        try {
            if (parts.length != 5
                    || !parts[0].equals(kind)
                    || !parts[1].equals(previewId)
                    || Long.parseLong(parts[3]) <= clock.instant().getEpochSecond()) {
                return Optional.empty();
            }
        } catch (NumberFormatException malformed) {
            return Optional.empty();
        }
        return Optional.of(new Signed(parts[1], parts[2], parts[4]));
    }

    private byte[] mac(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
