package dev.crownest.node.preview;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The preview tunnel ({@code crownest.node.preview.*}).
 *
 * @param tunnelAddress where the tunnel listens: loopback unless {@code CROWNEST_BIND_ADDRESS} names the address
 *                      gateways on other machines reach (application.yml), as for the node's HTTP API
 * @param tunnelPort    its TCP port; 0 takes a free one, which {@code GET /node/v1/preview-tunnel} tells
 * @param connectTimeout how long the relay inside the sandbox may take to reach the port
 */
@ConfigurationProperties("crownest.node.preview")
public record PreviewProperties(
        @DefaultValue("127.0.0.1") String tunnelAddress,
        @DefaultValue("0") int tunnelPort,
        @DefaultValue("5s") Duration connectTimeout) {}
