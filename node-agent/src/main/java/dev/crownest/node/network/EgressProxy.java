package dev.crownest.node.network;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's allowlisting HTTP/CONNECT proxy for restricted sandboxes. Each restricted sandbox gets
 * its own listener on its veth's host address, the only host address and port its firewall lets it
 * reach; so a listener serves one sandbox and one allowlist, and it also checks the connection's
 * source address, in case the firewall were ever wrong. One virtual thread per connection.
 */
final class EgressProxy {
    private static final Logger log = LoggerFactory.getLogger(EgressProxy.class);

    private final Upstreams upstreams;
    private final Duration connectTimeout;
    private final DeniedEgress denials;
    private final Map<String, ServerSocket> listeners = new ConcurrentHashMap<>();

    EgressProxy(Upstreams upstreams, Duration connectTimeout, DeniedEgress denials) {
        this.upstreams = upstreams;
        this.connectTimeout = connectTimeout;
        this.denials = denials;
    }

    /** Idempotent: a sandbox that has its listener keeps it. */
    void open(SandboxNetwork net) {
        if (listeners.containsKey(net.sandboxId())) {
            return;
        }
        ServerSocket server;
        try {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getByName(net.hostAddress()), net.proxyPort()), 128);
        } catch (IOException e) {
            throw new NetworkSetupException(
                    "cannot listen on " + net.hostAddress() + ":" + net.proxyPort() + ": " + e.getMessage());
        }
        listeners.put(net.sandboxId(), server);
        AllowList allowList = new AllowList(net.allowedHosts());
        InetAddress expectedSource;
        try {
            expectedSource = InetAddress.getByName(net.sandboxAddress());
        } catch (IOException e) {
            throw new NetworkSetupException("bad sandbox address " + net.sandboxAddress());
        }
        Thread.ofVirtual().name("egress-proxy-" + net.sandboxId()).start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    if (!expectedSource.equals(client.getInetAddress())) {
                        log.info("egress refused: sandbox={} connection from unexpected source", net.sandboxId());
                        client.close();
                        continue;
                    }
                    Thread.ofVirtual()
                            .start(new ProxyExchange(
                                    net.sandboxId(), client, allowList, upstreams, connectTimeout, denials));
                } catch (IOException e) {
                    if (!server.isClosed()) {
                        log.warn("egress proxy of sandbox {}: accept failed: {}", net.sandboxId(), e.getMessage());
                    }
                }
            }
        });
    }

    void close(String sandboxId) {
        ServerSocket server = listeners.remove(sandboxId);
        if (server != null) {
            try {
                server.close();
            } catch (IOException ignored) {
                // closing: nothing more to do
            }
        }
    }

    void closeAll() {
        listeners.keySet().forEach(this::close);
    }
}
