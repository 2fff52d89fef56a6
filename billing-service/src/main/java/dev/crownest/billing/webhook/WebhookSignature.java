package dev.crownest.billing.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code CrowNest-Signature} header of a delivery: {@code t=<unix seconds>,v1=<hex HMAC-SHA256>} of
 * {@code "<t>.<body>"} keyed by the endpoint's secret (its UTF-8 bytes, {@code whsec_} included), as
 * Stripe signs. The timestamp is the attempt's, so a receiver can refuse old replays; the event id
 * header stays the same across attempts.
 */
public final class WebhookSignature {
    /** The header that carries the signature. */
    public static final String HEADER = "CrowNest-Signature";
    /** The header that carries the event id, the same on every attempt. */
    public static final String EVENT_ID_HEADER = "CrowNest-Event-Id";
    /** The header that carries the event type. */
    public static final String EVENT_TYPE_HEADER = "CrowNest-Event-Type";

    private WebhookSignature() {}

    /** The header's value for {@code body} sent at {@code unixSeconds}. */
    public static String header(String secret, long unixSeconds, String body) {
        return "t=" + unixSeconds + ",v1=" + hmacHex(secret, unixSeconds + "." + body);
    }

    /** Hex HMAC-SHA256 of {@code payload} under the UTF-8 bytes of {@code secret}. */
    public static String hmacHex(String secret, String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
