package dev.crownest.node.preview;

import dev.crownest.nodeclient.protocol.NodePaths;
import dev.crownest.nodeclient.protocol.TunnelPort;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /node/v1/preview-tunnel}: where gateways open preview tunnels on this node ({@code {port}}). */
@RestController
class PreviewTunnelController {
    private final PreviewTunnel tunnel;

    PreviewTunnelController(PreviewTunnel tunnel) {
        this.tunnel = tunnel;
    }

    @GetMapping(NodePaths.PREVIEW_TUNNEL)
    TunnelPort tunnel() {
        return new TunnelPort(tunnel.port());
    }
}
