package dev.crownest.gateway.key;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.reactive.function.server.HandlerStrategies;
import org.springframework.web.reactive.function.server.ServerRequest;
import reactor.core.publisher.Mono;

class SocketKeyTest {

    private static ServerRequest request(MockServerHttpRequest.BaseBuilder<?> builder) {
        return ServerRequest.create(
                MockServerWebExchange.from(builder),
                HandlerStrategies.withDefaults().messageReaders());
    }

    @Test
    void aBrowsersUpgradeCarriesTheKeyBesideTheProtocol() {
        var upgrade = MockServerHttpRequest.get("/v1/sandboxes/sbx_1/pty")
                .header("Upgrade", "websocket")
                .header("Sec-WebSocket-Protocol", "crownest.v1, crownest.key.cn_live_abc");
        assertThat(SocketKey.from(request(upgrade))).isEqualTo("cn_live_abc");
    }

    @Test
    void onlyAnUpgradeIsRead() {
        var plain =
                MockServerHttpRequest.get("/v1/sandboxes").header("Sec-WebSocket-Protocol", "crownest.key.cn_live_abc");
        assertThat(SocketKey.from(request(plain))).isNull();
        var noKey = MockServerHttpRequest.get("/v1/sandboxes/sbx_1/pty")
                .header("Upgrade", "websocket")
                .header("Sec-WebSocket-Protocol", "crownest.v1, crownest.key.");
        assertThat(SocketKey.from(request(noKey))).isNull();
    }

    @Test
    void theHandshakeAnswersTheProtocolNeverTheKey() {
        var handler = SocketKey.answering(session -> Mono.empty());
        assertThat(handler.getSubProtocols()).isEqualTo(List.of(SocketKey.PROTOCOL));
    }
}
