package dev.crownest.gateway.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crownest.contracts.api.ApiException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpMethod;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;
import reactor.core.publisher.Flux;

class SignedFileUrlsTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef";
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static SignedFileUrls urls(Instant at) {
        return new SignedFileUrls(SECRET, Clock.fixed(at, ZoneOffset.UTC));
    }

    private static MultiValueMap<String, String> query(String pathAndQuery) {
        // decoded as the server decodes them
        return UriComponentsBuilder.fromUriString("http://gw" + pathAndQuery)
                .build(true)
                .getQueryParams()
                .entrySet()
                .stream()
                .collect(
                        LinkedMultiValueMap::new,
                        (m, e) -> e.getValue().forEach(v -> m.add(e.getKey(), UriUtils.decode(v, "UTF-8"))),
                        LinkedMultiValueMap::putAll);
    }

    private static final SignedFileUrls.Grant GRANT = new SignedFileUrls.Grant(
            SignedFileUrls.Operation.READ, "sbx_1", "ten_a", "key_1", "/workspace/a b&c+d.txt", NOW.plusSeconds(300));

    @Test
    void aUrlVerifiesWithItsOwnMethodUntilItExpires() {
        String url = urls(NOW).pathAndQuery(GRANT);
        assertThat(url).startsWith("/v1/signed/files?").doesNotContain(SECRET);
        assertThat(urls(NOW.plusSeconds(299)).verify(query(url), HttpMethod.GET))
                .isEqualTo(GRANT);
        assertThatThrownBy(() -> urls(NOW).verify(query(url), HttpMethod.PUT))
                .isInstanceOf(MethodNotAllowedException.class);
        assertThatThrownBy(() -> urls(NOW.plusSeconds(300)).verify(query(url), HttpMethod.GET))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo("signed_url_expired"));
    }

    @Test
    void anyChangedParameterOrAnotherSecretMakesItInvalid() {
        String url = urls(NOW).pathAndQuery(GRANT);
        for (String[] change : new String[][] {
            {"sbx_1", "sbx_2"},
            {"ten_a", "ten_b"},
            {"op=read", "op=write"},
            {"key_1", "key_2"},
            {"a%20b", "a%20c"},
            {
                "exp=" + GRANT.expiresAt().getEpochSecond(),
                "exp=" + (GRANT.expiresAt().getEpochSecond() + 3600)
            }
        }) {
            String tampered = url.replace(change[0], change[1]);
            assertThat(tampered).isNotEqualTo(url);
            assertThatThrownBy(() -> urls(NOW).verify(query(tampered), HttpMethod.GET))
                    .as(change[1])
                    .isInstanceOfSatisfying(
                            ApiException.class, e -> assertThat(e.code()).isEqualTo("signed_url_invalid"));
        }
        String sig = url.substring(url.indexOf("sig=") + 4);
        String flipped = url.replace("sig=" + sig, "sig=" + (sig.charAt(0) == 'A' ? 'B' : 'A') + sig.substring(1));
        assertThatThrownBy(() -> urls(NOW).verify(query(flipped), HttpMethod.GET))
                .isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> new SignedFileUrls(
                                "another-secret-of-thirty-two-chars!!", Clock.fixed(NOW, ZoneOffset.UTC))
                        .verify(query(url), HttpMethod.GET))
                .isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> urls(NOW).verify(query(url.replaceAll("&sig=[^&]*", "")), HttpMethod.GET))
                .isInstanceOf(ApiException.class);
    }

    /**
     * F12 (issue 15): a 32-byte signature's last base64url character carries 2 unused bits, and Java's
     * decoder accepts {@code =} padding, so other spellings decoded to the same bytes and verified.
     * Every other spelling is 403 now.
     */
    @Test
    void signaturesAreComparedOnTheirOneCanonicalSpelling() {
        String url = urls(NOW).pathAndQuery(GRANT);
        String sig = url.substring(url.indexOf("sig=") + 4);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int last = alphabet.indexOf(sig.charAt(sig.length() - 1));
        List<String> respelled = new ArrayList<>();
        for (int low = 0; low < 4; low++) {
            char same = alphabet.charAt((last & ~3) | low);
            if (same != sig.charAt(sig.length() - 1)) {
                // decodes to the same bytes as the issued signature under a lenient decoder
                respelled.add(sig.substring(0, sig.length() - 1) + same);
            }
        }
        // a trailing "=" (padding), as a URL carries it
        respelled.add(sig + "%3D");
        assertThat(respelled).hasSize(4);
        for (String other : respelled) {
            String tampered = url.replace("sig=" + sig, "sig=" + other);
            assertThatThrownBy(() -> urls(NOW).verify(query(tampered), HttpMethod.GET))
                    .as(other)
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(403);
                        assertThat(e.code()).isEqualTo("signed_url_invalid");
                    });
        }
        assertThat(urls(NOW).verify(query(url), HttpMethod.GET)).isEqualTo(GRANT);
    }

    @Test
    void pathsAreNormalizedInsideTheWorkspaceOrRefused() {
        assertThat(PathParameters.normalize("a/./b/../c")).isEqualTo("/workspace/a/c");
        assertThat(PathParameters.normalize("/workspace")).isEqualTo("/workspace");
        for (String escape :
                new String[] {"../etc/passwd", "/etc/passwd", "/workspace/../etc", "/workspacex/a", "a/../../b"}) {
            assertThatThrownBy(() -> PathParameters.normalize(escape))
                    .as(escape)
                    .isInstanceOfSatisfying(
                            ApiException.class, e -> assertThat(e.code()).isEqualTo("path_outside_workspace"));
        }
    }

    @Test
    void anUploadIsCutAtItsCapWhileStreaming() {
        var factory = DefaultDataBufferFactory.sharedInstance;
        Flux<DataBuffer> content = Flux.range(0, 10).map(i -> factory.wrap(new byte[100]));
        assertThat(UploadLimit.apply(content, 1000).collectList().block()).hasSize(10);
        List<DataBuffer> passed = new ArrayList<>();
        assertThatThrownBy(() -> UploadLimit.apply(Flux.range(0, 10).map(i -> factory.wrap(new byte[100])), 999)
                        .doOnNext(passed::add)
                        .blockLast())
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo("payload_too_large"));
        assertThat(passed).hasSize(9);
    }
}
