package dev.crownest.gateway.preview;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PreviewSignerTest {
    private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");

    private static PreviewSigner signer(String secret, Instant now) {
        return new PreviewSigner(
                new PreviewProperties(
                        secret, Duration.ofMinutes(5), Duration.ofHours(1), "", Duration.ofSeconds(1), Map.of()),
                Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void aCredentialOpensItsPreviewOfItsKindUntilItExpires() {
        PreviewSigner signer = signer("s3cret", NOW);
        String session = signer.sign(PreviewSigner.SESSION, "prv_a", "key_1", NOW.plusSeconds(60));
        assertThat(signer.verify(session, PreviewSigner.SESSION, "prv_a")).isPresent();
        assertThat(signer.verify(session, PreviewSigner.SESSION, "prv_b"))
                .as("another preview")
                .isEmpty();
        assertThat(signer.verify(session, PreviewSigner.TOKEN, "prv_a"))
                .as("a session is no token")
                .isEmpty();
        assertThat(signer("s3cret", NOW.plusSeconds(60)).verify(session, PreviewSigner.SESSION, "prv_a"))
                .as("expired")
                .isEmpty();
        assertThat(signer("other", NOW).verify(session, PreviewSigner.SESSION, "prv_a"))
                .as("another secret")
                .isEmpty();
    }

    @Test
    void forgedOrMangledCredentialsAreRefusedWithoutAnError() {
        PreviewSigner signer = signer("s3cret", NOW);
        String token = signer.sign(PreviewSigner.TOKEN, "prv_a", "key_1", NOW.plusSeconds(300));
        String body = token.substring(0, token.indexOf('.'));
        String forgedBody =
                Base64.getUrlEncoder().withoutPadding().encodeToString("t|prv_a|key_1|9999999999|00".getBytes());
        for (String bad : new String[] {
            null,
            "",
            ".",
            "abc",
            body + ".",
            "." + token,
            forgedBody + token.substring(token.indexOf('.')),
            token + "x",
            token.replace('.', '!'),
            "%%%.###"
        }) {
            assertThat(signer.verify(bad, PreviewSigner.TOKEN, "prv_a"))
                    .as(String.valueOf(bad))
                    .isEmpty();
        }
        String mac = token.substring(token.indexOf('.') + 1);
        char last = mac.charAt(mac.length() - 1);
        // same bytes under a lenient decoder (the unused low bits of the last character), or padded: refused
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char sibling = alphabet.charAt(alphabet.indexOf(last) ^ 1);
        assertThat(signer.verify(token.substring(0, token.length() - 1) + sibling, PreviewSigner.TOKEN, "prv_a"))
                .isEmpty();
        assertThat(signer.verify(token + "=", PreviewSigner.TOKEN, "prv_a")).isEmpty();
        assertThat(signer.verify(token, PreviewSigner.TOKEN, "prv_a"))
                .hasValue(new PreviewSigner.Signed(
                        "prv_a",
                        "key_1",
                        signer.verify(token, PreviewSigner.TOKEN, "prv_a")
                                .orElseThrow()
                                .nonce()));
        assertThat(signer.sign(PreviewSigner.TOKEN, "prv_a", "key_1", NOW.plusSeconds(300)))
                .as("a new nonce each time")
                .isNotEqualTo(token);
    }
}
