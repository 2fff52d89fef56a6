package dev.crownest.gateway.request;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.springframework.http.server.reactive.SslInfo;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;

/** HSTS on answers over HTTPS, never over plain HTTP. */
class StrictTransportTest {

    @Test
    void httpsAnswersCarryHstsAndPlainHttpOnesDoNot() {
        SslInfo tls = new SslInfo() {
            @Override
            public String getSessionId() {
                return "s";
            }

            @Override
            public X509Certificate[] getPeerCertificates() {
                return null;
            }
        };
        var request = MockServerHttpRequest.get("https://api.example/v1/sandboxes");
        request.sslInfo(tls);
        MockServerWebExchange secure = MockServerWebExchange.from(request);
        new StrictTransport().filter(secure, exchange -> Mono.empty()).block();
        assertThat(secure.getResponse().getHeaders().getFirst(StrictTransport.HEADER))
                .isEqualTo("max-age=31536000");

        MockServerWebExchange plain =
                MockServerWebExchange.from(MockServerHttpRequest.get("http://api.example/v1/sandboxes"));
        new StrictTransport().filter(plain, exchange -> Mono.empty()).block();
        assertThat(plain.getResponse().getHeaders().containsKey(StrictTransport.HEADER))
                .isFalse();
    }
}
