package dev.crownest.node.preview;

import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /node/v1/preview-tunnel}: where gateways open preview tunnels on this node ({@code {port}}). */
@RestController
class PreviewTunnelController {
    private final PreviewTunnel tunnel;

    PreviewTunnelController(PreviewTunnel tunnel) {
        this.tunnel = tunnel;
    }

    @GetMapping("/node/v1/preview-tunnel")
    Map<String, Integer> tunnel() {
        return Map.of("port", tunnel.port());
    }
}
