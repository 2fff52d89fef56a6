package dev.crownest.gateway.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.gateway.GatewayProperties;
import dev.crownest.nodeclient.NodeClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The gateway's one client of node agents, for command output watches, files and preview tunnels; a
 * node that does not connect within the gateway's connect timeout is unavailable.
 */
@Configuration
class NodeClientConfiguration {

    @Bean
    NodeClient nodeClient(WebClient.Builder builder, ObjectMapper json, GatewayProperties properties) {
        return new NodeClient(builder, json, properties.gateway().connectTimeout());
    }
}
