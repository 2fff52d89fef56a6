package dev.crownest.gateway.command;

import dev.crownest.contracts.node.ExecFrames;
import dev.crownest.gateway.GatewayProperties;
import io.netty.channel.ChannelOption;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Reads a command's output straight from its node ({@code GET /node/v1/sandboxes/{id}/exec/{cid}/output},
 * {@link ExecFrames}), for a client streaming it: the bytes skip the execution worker and Kafka, which
 * cost more than everything else on the way (docs/benchmarks.md). One node agent
 * ({@code crownest.node-agent.url}), as for files.
 */
@Component
class NodeOutputWatches {

    /** A watch in place on the node: the frames to come, or a way to give it up unread. */
    record Watch(Flux<ExecFrames.Frame> frames, Runnable cancel) {}

    private final WebClient client;
    private final String nodeAgent;

    NodeOutputWatches(
            WebClient.Builder builder,
            GatewayProperties properties,
            @Value("${crownest.node-agent.url:http://localhost:8083}") String nodeAgent) {
        // A watch holds its connection for as long as its command runs: the default pool's 16 would make
        // the 17th streamed run wait for a slot.
        ConnectionProvider pool = ConnectionProvider.builder("node-output-watches")
                .maxConnections(10_000)
                .pendingAcquireMaxCount(-1)
                .maxIdleTime(Duration.ofSeconds(20))
                .build();
        HttpClient http = HttpClient.create(pool).option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                properties.gateway().connectTimeout().toMillis());
        this.client =
                builder.clientConnector(new ReactorClientHttpConnector(http)).build();
        this.nodeAgent = nodeAgent.endsWith("/") ? nodeAgent.substring(0, nodeAgent.length() - 1) : nodeAgent;
    }

    /**
     * Opens a watch of {@code commandId}; completes once the node has it in place (its answer's
     * headers), so a command started after that cannot write anything the watch misses.
     */
    Mono<Watch> open(String sandboxId, String commandId) {
        return client.get()
                .uri(nodeAgent + "/node/v1/sandboxes/{id}/exec/{cid}/output", sandboxId, commandId)
                .accept(MediaType.parseMediaType(ExecFrames.MEDIA_TYPE))
                .retrieve()
                .toEntityFlux(DataBuffer.class)
                .map(answer -> {
                    Flux<DataBuffer> body = answer.getBody() == null ? Flux.empty() : answer.getBody();
                    ExecFrameAssembler frames = new ExecFrameAssembler();
                    return new Watch(
                            body.concatMapIterable(frames::feed),
                            () -> body.subscribe(DataBufferUtils::release).dispose());
                });
    }
}
