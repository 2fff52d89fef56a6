package dev.crownest.gateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.gateway.GatewayProperties;
import dev.crownest.gateway.upstream.JsonBodies;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessAsyncServer;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.server.RouterFunctions;
import reactor.core.publisher.Mono;

/** The WebFlux transport under the SDK's stateless server, without the gateway around it. */
class WebFluxStatelessTransportTest {
    private static final String ACCEPT = "application/json, text/event-stream";

    private final ObjectMapper json = new ObjectMapper();
    private McpStatelessAsyncServer server;
    private WebTestClient client;

    @BeforeEach
    void start() {
        var limits = new GatewayProperties.Gateway(
                DataSize.ofKilobytes(1), DataSize.ofMegabytes(16), Duration.ofSeconds(2), Duration.ofSeconds(30));
        var bodies = new JsonBodies(json, new GatewayProperties(null, null, null, null, null, limits));
        var transport = new WebFluxStatelessTransport(new JacksonMcpJsonMapper(json), bodies);
        // a tool that answers who called it, as the transport passed it on
        var whoami = new AsyncToolSpecification(
                McpSchema.Tool.builder("whoami", Map.of("type", "object")).build(),
                (context, request) -> Mono.just(McpSchema.CallToolResult.builder()
                        .addTextContent(McpCaller.of(context).host() + " "
                                + McpCaller.of(context).apiKey())
                        .build()));
        server = McpServer.async(transport)
                .serverInfo("crownest", "v1")
                .capabilities(
                        McpSchema.ServerCapabilities.builder().tools(false).build())
                .jsonMapper(new JacksonMcpJsonMapper(json))
                .tools(whoami)
                .build();
        client = WebTestClient.bindToRouterFunction(RouterFunctions.route()
                        .POST("/v1/mcp", transport::handlePost)
                        .build())
                // generous: a loaded CI machine, not the transport, sets the pace
                .configureClient()
                .responseTimeout(Duration.ofSeconds(60))
                .build();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private WebTestClient.ResponseSpec post(String body, String accept) {
        return client.post()
                .uri("/v1/mcp")
                .header("accept", accept)
                .header("x-api-key", "cn_live_test")
                .header("host", "gw.example:8080")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    private JsonNode answer(String body) throws Exception {
        byte[] bytes = post(body, ACCEPT)
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult()
                .getResponseBody();
        return json.readTree(bytes);
    }

    @Test
    void initializeListAndCallAreAnsweredAsJson() throws Exception {
        JsonNode init = answer(
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
                        + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}");
        assertThat(init.at("/result/serverInfo/name").asText()).isEqualTo("crownest");

        JsonNode tools = answer("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
        assertThat(tools.at("/result/tools/0/name").asText()).isEqualTo("whoami");

        JsonNode call = answer("{\"jsonrpc\":\"2.0\",\"id\":\"c\",\"method\":\"tools/call\","
                + "\"params\":{\"name\":\"whoami\",\"arguments\":{}}}");
        assertThat(call.path("id").asText()).isEqualTo("c");
        assertThat(call.at("/result/content/0/text").asText()).isEqualTo("gw.example:8080 cn_live_test");
    }

    @Test
    void aNotificationIsAccepted() {
        post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", ACCEPT)
                .expectStatus()
                .isAccepted();
    }

    @Test
    void misdirectedMessagesAreJsonRpcErrors() throws Exception {
        byte[] notRpc = post("{\"hello\":1}", ACCEPT)
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .returnResult()
                .getResponseBody();
        assertThat(json.readTree(notRpc).at("/error/code").asInt()).isEqualTo(McpSchema.ErrorCodes.PARSE_ERROR);

        post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}", "application/json")
                .expectStatus()
                .isBadRequest();

        JsonNode unknown = answer("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"no/such\"}");
        assertThat(unknown.at("/error/code").asInt()).isEqualTo(McpSchema.ErrorCodes.METHOD_NOT_FOUND);
    }
}
