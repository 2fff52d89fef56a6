package dev.crownest.contracts.security;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The service token's check: expiry, key, tampering, canonical bytes, constant-time comparison. */
class ServiceTokensTest {
    private static final String SECRET = "s".repeat(48);
    private static final Instant NOW = Instant.parse("2026-12-07T04:00:00Z");

    private final ServiceTokens tokens = at(NOW, SECRET);

    private static ServiceTokens at(Instant when, String secret) {
        return new ServiceTokens(secret, Clock.fixed(when, ZoneOffset.UTC));
    }

    @Test
    void aFreshTokenNamesItsService() {
        String token = tokens.mint("api-gateway", Duration.ofMinutes(5));

        assertThat(token).startsWith("v1.api-gateway." + NOW.plusSeconds(300).getEpochSecond() + ".");
        assertThat(tokens.verify(token)).isEqualTo(new ServiceTokens.Accepted("api-gateway"));
    }

    @Test
    void anExpiredTokenIsRefused() {
        String token = tokens.mint("execution-worker", Duration.ofMinutes(5));

        assertThat(at(NOW.plusSeconds(299), SECRET).verify(token)).isInstanceOf(ServiceTokens.Accepted.class);
        assertThat(at(NOW.plusSeconds(300), SECRET).verify(token))
                .extracting(ServiceTokensTest::code)
                .isEqualTo(("service_token_expired"));
    }

    @Test
    void aTokenOfAnotherKeyIsRefused() {
        String forged = at(NOW, "f".repeat(48)).mint("api-gateway", Duration.ofMinutes(5));

        assertThat(tokens.verify(forged)).extracting(ServiceTokensTest::code).isEqualTo(("service_token_invalid"));
    }

    @Test
    void aTokenClaimingALongerLifeThanAllowedIsRefusedEvenWhenSigned() {
        // minted by a clock an hour ahead: its expiry is valid in form and signature, but too far away
        String tooLong = at(NOW.plus(Duration.ofHours(1)), SECRET).mint("api-gateway", Duration.ofMinutes(5));

        assertThat(tokens.verify(tooLong)).extracting(ServiceTokensTest::code).isEqualTo(("service_token_invalid"));
    }

    @Test
    void tamperedTokensAreRefused() {
        String token = tokens.mint("api-gateway", Duration.ofMinutes(5));
        String[] parts = token.split("\\.");
        String signature = parts[3];

        // another service or a later expiry under the same signature
        assertThat(tokens.verify("v1.audit-service." + parts[2] + "." + signature))
                .extracting(ServiceTokensTest::code)
                .isEqualTo(("service_token_invalid"));
        assertThat(tokens.verify("v1.api-gateway." + (Long.parseLong(parts[2]) + 60) + "." + signature))
                .extracting(ServiceTokensTest::code)
                .isEqualTo(("service_token_invalid"));
        // the signature's first or last character changed
        assertThat(tokens.verify(
                        token.substring(0, token.length() - 43) + flip(signature.charAt(0)) + signature.substring(1)))
                .extracting(ServiceTokensTest::code)
                .isEqualTo(("service_token_invalid"));
        assertThat(tokens.verify(token.substring(0, token.length() - 1) + flip(token.charAt(token.length() - 1))))
                .extracting(ServiceTokensTest::code)
                .isEqualTo(("service_token_invalid"));
    }

    @Test
    void otherSpellingsOfTheSameSignatureAreRefused() {
        String token = tokens.mint("api-gateway", Duration.ofMinutes(5));
        String claims = token.substring(0, token.lastIndexOf('.') + 1);
        byte[] mac = Base64.getUrlDecoder().decode(token.substring(token.lastIndexOf('.') + 1));

        assertThat(tokens.verify(token + "="))
                .extracting(ServiceTokensTest::code)
                .isEqualTo(("service_token_malformed"));
        assertThat(tokens.verify(claims + Base64.getUrlEncoder().encodeToString(mac)))
                .extracting(ServiceTokensTest::code)
                .isEqualTo(("service_token_malformed"));
        assertThat(tokens.verify(" " + token))
                .extracting(ServiceTokensTest::code)
                .isEqualTo(("service_token_malformed"));
        assertThat(tokens.verify(token.replace("v1.", "V1.")))
                .extracting(ServiceTokensTest::code)
                .isEqualTo(("service_token_malformed"));
    }

    @Test
    void missingAndMalformedTokensAreRefused() {
        assertThat(tokens.verify(null)).extracting(ServiceTokensTest::code).isEqualTo(("service_token_missing"));
        assertThat(tokens.verify("")).extracting(ServiceTokensTest::code).isEqualTo(("service_token_missing"));
        assertThat(tokens.verify("Bearer x"))
                .extracting(ServiceTokensTest::code)
                .isEqualTo(("service_token_malformed"));
        assertThat(tokens.verify("v1.api-gateway.0." + "A".repeat(43)))
                .extracting(ServiceTokensTest::code)
                .isEqualTo(("service_token_malformed"));
    }

    @Test
    void aShortSecretOrAnOddTokenRequestIsRefusedAtOnce() {
        assertThatThrownBy(() -> at(NOW, "short")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tokens.mint("Api_Gateway", Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tokens.mint("api-gateway", Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Timing cannot be measured reliably on a shared machine, so the constant-time comparison is held by
     * the code's shape: the check compares through {@link MessageDigest#isEqual} (constant time for equal
     * lengths) and never through an early-exit comparison.
     */
    @Test
    void theSignatureIsComparedInConstantTime() {
        JavaClasses classes = new ClassFileImporter().importClasses(ServiceTokens.class);

        classes()
                .that()
                .haveSimpleName("ServiceTokens")
                .should()
                .callMethod(MessageDigest.class, "isEqual", byte[].class, byte[].class)
                .check(classes);
        noClasses()
                .should()
                .callMethod(String.class, "equals", Object.class)
                .orShould()
                .callMethod(String.class, "contentEquals", CharSequence.class)
                .orShould()
                .callMethod(String.class, "compareTo", String.class)
                .orShould()
                .callMethod(Arrays.class, "equals", byte[].class, byte[].class)
                .check(classes);
    }

    private static String code(ServiceTokens.Verdict verdict) {
        return verdict instanceof ServiceTokens.Refused refused ? refused.code() : "accepted";
    }

    private static char flip(char c) {
        return c == 'A' ? 'B' : 'A';
    }
}
