package dev.crownest.gateway.preview;

import dev.crownest.contracts.security.InternalHeaders;
import dev.crownest.kit.auth.ServiceCredential;
import dev.crownest.nodeclient.NodeClient;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.proxy.HttpProxyHandler;
import io.netty.resolver.NoopAddressResolverGroup;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * HTTP clients that reach ports inside sandboxes through their node's preview tunnel. The tunnel is
 * an HTTP {@code CONNECT} listener of the node agent (its port from {@link NodeClient#previewTunnel});
 * Netty's proxy handler opens it under an otherwise ordinary client, so requests go out in origin
 * form and pooled connections are kept per sandbox and port (the host name {@code <sandbox>.sandbox}
 * is never resolved). A kept-alive connection saves the {@code runsc exec} of a new relay.
 */
@Component
class NodeTunnels {
    static final String HOST_SUFFIX = ".sandbox";

    private final NodeClient nodes;
    private final ServiceCredential credential;
    private final PreviewProperties properties;
    private final String defaultNodeUrl;
    private final ConnectionProvider pool = ConnectionProvider.builder("previews")
            .maxConnections(1000)
            .maxIdleTime(Duration.ofSeconds(20))
            .maxLifeTime(Duration.ofMinutes(10))
            .pendingAcquireMaxCount(-1)
            .build();
    private final Map<String, Mono<HttpClient>> clients = new ConcurrentHashMap<>();

    NodeTunnels(
            NodeClient nodes,
            ServiceCredential credential,
            PreviewProperties properties,
            @Value("${crownest.node-agent.url:http://localhost:8083}") String defaultNodeUrl) {
        this.nodes = nodes;
        this.credential = credential;
        this.properties = properties;
        this.defaultNodeUrl = defaultNodeUrl.endsWith("/")
                ? defaultNodeUrl.substring(0, defaultNodeUrl.length() - 1)
                : defaultNodeUrl;
    }

    /** The tunnel host of a sandbox: its id, {@code _} written {@code --} (host names have no underscore). */
    static String host(String sandboxId) {
        return sandboxId.replace("_", "--") + HOST_SUFFIX;
    }

    /** A client whose connections to {@code http://<sandbox>.sandbox:<port>} go through {@code nodeId}'s tunnel. */
    Mono<HttpClient> client(String nodeId) {
        String nodeUrl = nodeId == null ? defaultNodeUrl : properties.nodes().getOrDefault(nodeId, defaultNodeUrl);
        return clients.computeIfAbsent(
                nodeUrl,
                url -> nodes.previewTunnel(URI.create(url))
                        .map(answer ->
                                build(new InetSocketAddress(URI.create(url).getHost(), answer.port())))
                        .cache(client -> Duration.ofDays(365), failure -> Duration.ZERO, () -> Duration.ZERO));
    }

    /** After a failure to reach a node's tunnel: ask for its port again next time (it may have restarted). */
    void forget(String nodeId) {
        clients.remove(nodeId == null ? defaultNodeUrl : properties.nodes().getOrDefault(nodeId, defaultNodeUrl));
    }

    private HttpClient build(InetSocketAddress tunnel) {
        return HttpClient.create(pool)
                .resolver(NoopAddressResolverGroup.INSTANCE)
                .doOnChannelInit((observer, channel, remote) -> {
                    // the tunnel, an internal listener, takes the service credential on its CONNECT alone: the
                    // requests that follow go to the sandbox's app and never carry it
                    HttpProxyHandler connect = new HttpProxyHandler(
                            tunnel, new DefaultHttpHeaders().set(InternalHeaders.SERVICE_TOKEN, credential.token()));
                    connect.setConnectTimeoutMillis(15_000);
                    channel.pipeline().addFirst("crownest-preview-tunnel", connect);
                });
    }
}
