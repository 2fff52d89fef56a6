package dev.crownest.gateway.key;

import dev.crownest.gateway.GatewayProperties;
import org.springframework.stereotype.Component;

/**
 * Recognizes the platform operator's session token ({@code Authorization: Bearer ...}) by its
 * SHA-256, configured as {@code crownest.bootstrap.admin-token-hash}; the token itself is never configured.
 */
@Component
public class OperatorToken {

    private static final String BEARER = "bearer ";

    private final String expectedHash;

    public OperatorToken(GatewayProperties properties) {
        this.expectedHash = properties.bootstrap().adminTokenHash().trim();
    }

    /** @param authorization the raw Authorization header, possibly null */
    public boolean isOperator(String authorization) {
        String token = bearerToken(authorization);
        return token != null && !expectedHash.isEmpty() && SecretHash.same(SecretHash.of(token), expectedHash);
    }

    /** The token of a {@code Bearer} Authorization header, or null. */
    public static String bearerToken(String authorization) {
        if (authorization == null
                || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        String token = authorization.substring(BEARER.length()).trim();
        return token.isEmpty() ? null : token;
    }
}
