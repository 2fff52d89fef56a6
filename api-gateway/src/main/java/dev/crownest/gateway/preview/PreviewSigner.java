package dev.crownest.gateway.preview;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Signs and checks preview credentials: {@code base64url(kind|previewId|expiresEpochSecond|nonce)}
 * {@code .base64url(HMAC-SHA256)}. A token ({@code t}) is exchanged once for a session ({@code s}),
 * which is the cookie's value. Both name one preview and expire; nothing of them is stored.
 */
@Component
public class PreviewSigner {
    static final String TOKEN = "t";
    static final String SESSION = "s";
    private static final Logger log = LoggerFactory.getLogger(PreviewSigner.class);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final SecureRandom RANDOM = new SecureRandom();

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

    /** A credential of {@code kind} for one preview, valid until {@code expiresAt}. */
    public String sign(String kind, String previewId, Instant expiresAt) {
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        String payload = kind + "|" + previewId + "|" + expiresAt.getEpochSecond() + "|"
                + HexFormat.of().formatHex(nonce);
        byte[] body = payload.getBytes(StandardCharsets.UTF_8);
        return B64.encodeToString(body) + "." + B64.encodeToString(mac(body));
    }

    /**
     * The credential's nonce when it is of {@code kind}, for {@code previewId}, signed here and not
     * expired; empty otherwise (never saying which).
     */
    public Optional<String> verify(String credential, String kind, String previewId) {
        if (credential == null) {
            return Optional.empty();
        }
        int dot = credential.indexOf('.');
        if (dot <= 0 || dot == credential.length() - 1) {
            return Optional.empty();
        }
        try {
            byte[] body = B64D.decode(credential.substring(0, dot));
            byte[] mac = B64D.decode(credential.substring(dot + 1));
            if (!MessageDigest.isEqual(mac, mac(body))) {
                return Optional.empty();
            }
            String[] parts = new String(body, StandardCharsets.UTF_8).split("\\|", -1);
            if (parts.length != 4
                    || !parts[0].equals(kind)
                    || !parts[1].equals(previewId)
                    || Long.parseLong(parts[2]) <= clock.instant().getEpochSecond()) {
                return Optional.empty();
            }
            return Optional.of(parts[3]);
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
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
