package dev.crownest.worker.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.nodeclient.NodeClient;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The worker's client of node agents. The worker blocks on its calls (on virtual threads), each with
 * its own limit; the node's address is {@code crownest.node-agent.url}, one node for now.
 */
@Configuration
class NodeClientConfiguration {

    @Bean
    NodeClient nodeClient(WebClient.Builder builder, ObjectMapper json) {
        // Spring's builder: it carries the service credential (service-kit's ServiceAuthConfiguration)
        return new NodeClient(builder, json, Duration.ofSeconds(3));
    }
}
