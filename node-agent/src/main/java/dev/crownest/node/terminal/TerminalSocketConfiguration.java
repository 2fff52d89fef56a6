package dev.crownest.node.terminal;

import dev.crownest.nodeclient.protocol.NodePaths;
import dev.crownest.nodeclient.protocol.TerminalFrames;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

/**
 * Maps the terminal's WebSocket on {@link NodePaths#PTY}. The handshake is an ordinary request of the
 * node's servlet stack, so the service-token filter refuses an unsigned one before it is upgraded.
 */
@Configuration
@EnableWebSocket
class TerminalSocketConfiguration implements WebSocketConfigurer {
    private final TerminalSocket socket;
    private final TerminalHandshake handshake;

    TerminalSocketConfiguration(TerminalSocket socket, TerminalHandshake handshake) {
        this.socket = socket;
        this.handshake = handshake;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        // only gateways call it, without an Origin; the service token is the check
        registry.addHandler(socket, NodePaths.PTY).addInterceptors(handshake).setAllowedOriginPatterns("*");
    }

    /** A pasted block of input arrives as one frame: take frames as large as the gateway relays. */
    @Bean
    ServletServerContainerFactoryBean webSocketContainer() {
        ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
        container.setMaxBinaryMessageBufferSize(TerminalFrames.MAX_FRAME_BYTES);
        container.setMaxTextMessageBufferSize(4096);
        return container;
    }
}
