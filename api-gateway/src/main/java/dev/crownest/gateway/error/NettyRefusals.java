package dev.crownest.gateway.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.api.ApiError;
import dev.crownest.gateway.request.RequestIds;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.web.embedded.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.netty.NettyPipeline;

/**
 * Gives the one error shape to what Reactor Netty refuses before a request reaches Spring: a request head
 * it cannot decode (400), headers too large (431), a request line too long (414). Netty writes those as
 * bodiless full responses; they are recognized by having no {@code x-request-id} (every answer that went
 * through Spring has one) and get the JSON body and a request id of their own.
 */
@Configuration(proxyBeanMethods = false)
class NettyRefusals {

    static final Duration LINGER = Duration.ofSeconds(2);

    @Bean
    NettyServerCustomizer refusalsInTheErrorShape(ObjectMapper json) {
        return server -> server.doOnChannelInit((observer, channel, address) -> {
            if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
                channel.pipeline().addAfter(NettyPipeline.HttpCodec, "crownest-refusals", new Shape(json));
            }
        });
    }

    /** Rewrites Netty's own bodiless 4xx answers and lingers at the close after one; else passes untouched. */
    private static final class Shape extends ChannelDuplexHandler {
        private final ObjectMapper json;
        private boolean refused;

        Shape(ObjectMapper json) {
            this.json = json;
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            if (msg instanceof FullHttpResponse refusal
                    && refusal.status().code() >= 400
                    && refusal.status().code() < 500
                    && refusal.content().readableBytes() == 0
                    && !refusal.headers().contains(RequestIds.RESPONSE_HEADER)) {
                String requestId = RequestIds.random("req_");
                byte[] body = body(refusal.status().code(), requestId);
                FullHttpResponse shaped = new DefaultFullHttpResponse(
                        refusal.protocolVersion(),
                        refusal.status(),
                        ctx.alloc().buffer(body.length).writeBytes(body));
                shaped.headers().set(refusal.headers());
                shaped.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
                shaped.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
                shaped.headers().set(RequestIds.RESPONSE_HEADER, requestId);
                refusal.release();
                refused = true;
                super.write(ctx, shaped, promise);
                return;
            }
            super.write(ctx, msg, promise);
        }

        @Override
        public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
            if (!refused || !(ctx.channel() instanceof DuplexChannel duplex) || duplex.isOutputShutdown()) {
                super.close(ctx, promise);
                return;
            }
            // The decoder drops what still arrives after a refusal; keep reading so it can.
            ctx.channel().config().setAutoRead(true);
            ctx.read();
            duplex.shutdownOutput().addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            ctx.executor().schedule(() -> ctx.close(promise), LINGER.toMillis(), TimeUnit.MILLISECONDS);
        }

        private byte[] body(int status, String requestId) throws JsonProcessingException {
            ApiError error = switch (status) {
                case 431 ->
                    ApiError.of(
                            "invalid_request",
                            "headers_too_large",
                            "the request's headers are larger than the gateway accepts",
                            requestId);
                case 414 ->
                    ApiError.of(
                            "invalid_request",
                            "uri_too_long",
                            "the request line is longer than the gateway accepts",
                            requestId);
                case 413 ->
                    ApiError.of(
                            "invalid_request",
                            "payload_too_large",
                            "the request body is larger than the gateway accepts",
                            requestId);
                default ->
                    ApiError.of(
                            "invalid_request", "invalid_request", "the request could not be read as HTTP", requestId);
            };
            return json.writeValueAsBytes(error);
        }
    }
}
