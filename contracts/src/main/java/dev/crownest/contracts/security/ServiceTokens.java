package dev.crownest.contracts.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The service credential every internal call carries ({@link InternalHeaders#SERVICE_TOKEN}): a
 * short-lived token {@code v1.<service>.<expires>.<signature>}, where {@code expires} is in epoch
 * seconds and the signature is the unpadded base64url HMAC-SHA256, under the stack's service secret,
 * of {@code v1.<service>.<expires>}. The one format for every side: the services' filter and
 * clients (service-kit), the node's preview tunnel, the system tests and the benchmarks, which is
 * why it lives beside the header name and depends on the JDK alone.
 *
 * <p>A token is checked by minting the token its own service and expiry would have and comparing the
 * two whole strings in constant time: any other spelling of the same signature (padding, standard
 * base64, a changed last character) is refused, not just a wrong one.
 */
public final class ServiceTokens {
    /** The longest lifetime a token may claim; a token valid for longer than this (plus skew) is refused. */
    public static final Duration MAX_TTL = Duration.ofMinutes(10);
    /** Shortest secret accepted: 32 characters, as {@code ./crownest up} makes 48 random ones. */
    public static final int MIN_SECRET_LENGTH = 32;

    private static final String VERSION = "v1";
    private static final String ALGORITHM = "HmacSHA256";
    private static final Duration SKEW = Duration.ofSeconds(60);
    private static final Pattern SERVICE = Pattern.compile("[a-z][a-z0-9-]{0,62}");
    /** Version, service, expiry and 43 characters of unpadded base64url (32 bytes). */
    private static final Pattern TOKEN =
            Pattern.compile("v1\\.([a-z][a-z0-9-]{0,62})\\.([1-9][0-9]{0,11})\\.[A-Za-z0-9_-]{43}");

    private final SecretKeySpec key;
    private final Clock clock;

    /** What a check of a presented token found. */
    public sealed interface Verdict {}

    /** A valid token of {@code service}. */
    public record Accepted(String service) implements Verdict {}

    /**
     * A refused token.
     *
     * @param code   the error code of the 401 ({@code service_token_missing}, {@code service_token_malformed},
     *               {@code service_token_expired} or {@code service_token_invalid})
     * @param reason for humans and logs; never the token
     */
    public record Refused(String code, String reason) implements Verdict {}

    /**
     * @param secret the stack's service secret, at least {@link #MIN_SECRET_LENGTH} characters
     * @param clock  when tokens are minted and checked
     */
    public ServiceTokens(String secret, Clock clock) {
        if (secret == null || secret.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("the service secret must have at least " + MIN_SECRET_LENGTH
                    + " characters (./crownest up generates one: SERVICE_SECRET in CROWNEST_HOME/secrets)");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
        this.clock = clock;
    }

    /** A token naming {@code service}, valid for {@code ttl} from now (at most {@link #MAX_TTL}). */
    public String mint(String service, Duration ttl) {
        if (!SERVICE.matcher(service).matches()) {
            throw new IllegalArgumentException("a service name is lower-case letters, digits and '-': " + service);
        }
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("a service token lives more than 0 and at most " + MAX_TTL);
        }
        return token(service, clock.instant().plus(ttl).getEpochSecond());
    }

    /** Checks a presented token (null or blank when the request had none). */
    public Verdict verify(String token) {
        if (token == null || token.isBlank()) {
            return new Refused("service_token_missing", "this is an internal service: send a service credential");
        }
        Matcher parts = TOKEN.matcher(token);
        if (!parts.matches()) {
            return new Refused("service_token_malformed", "the service credential is not a v1 service token");
        }
        String service = parts.group(1);
        long expires = Long.parseLong(parts.group(2));
        long now = clock.instant().getEpochSecond();
        // The signature is checked before the times, so that an unsigned token learns nothing of them.
        byte[] expected = token(service, expires).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, token.getBytes(StandardCharsets.US_ASCII))) {
            return new Refused("service_token_invalid", "the service credential's signature does not match");
        }
        if (expires <= now) {
            return new Refused("service_token_expired", "the service credential has expired");
        }
        if (expires > now + MAX_TTL.plus(SKEW).toSeconds()) {
            return new Refused("service_token_invalid", "the service credential claims too long a life");
        }
        return new Accepted(service);
    }

    private String token(String service, long expires) {
        String claims = VERSION + "." + service + "." + expires;
        return claims + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(sign(claims));
    }

    private byte[] sign(String claims) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(claims.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
