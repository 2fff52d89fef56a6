package dev.crownest.gateway.preview;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.PathParameter;
import io.swagger.v3.oas.models.parameters.QueryParameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Routes {@code /v1/previews/**} to the {@link PreviewGate} ahead of the route tables (whose fallback
 * would answer 404), and describes those URLs in the OpenAPI document, which is otherwise built from
 * the tables alone.
 */
@Configuration(proxyBeanMethods = false)
public class PreviewRoutes {

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 1)
    RouterFunction<ServerResponse> previewUrls(PreviewGate gate) {
        return RouterFunctions.route(request -> request.path().startsWith(PreviewGate.PREFIX), gate::handle);
    }

    /** Adds the preview URLs (any method, x-api-key with previews:read or the preview's session cookie). */
    public static void describe(OpenAPI document) {
        PathParameter previewId =
                (PathParameter) new PathParameter().name("previewId").schema(new StringSchema());
        Operation proxied = new Operation()
                .summary("The preview itself: any method and path under the preview's "
                        + "prefix is proxied (HTTP and WebSocket) to its port inside the sandbox. Credentials: x-api-key "
                        + "of the preview's tenant with scope previews:read, or the session cookie from a token; "
                        + "else 401. 404 another tenant's, 410 closed or sandbox ended, 409 sandbox paused, 502 "
                        + "nothing listening on the port")
                .addParametersItem(previewId)
                .addParametersItem(new PathParameter().name("path").schema(new StringSchema()))
                .responses(new ApiResponses()
                        .addApiResponse("default", new ApiResponse().description("the app's answer")));
        proxied.addExtension("x-required-scope", "previews:read (or a preview session)");
        Operation exchange = new Operation()
                .summary("Exchange a preview token (from POST /v1/sandboxes/{id}/previews/"
                        + "{pid}/tokens) for a session cookie scoped to this preview, then 303 to the preview's root; "
                        + "without a token: 308 to the root (credentials needed)")
                .addParametersItem(previewId)
                .addParametersItem(new QueryParameter().name("token").schema(new StringSchema()))
                .responses(
                        new ApiResponses()
                                .addApiResponse(
                                        "303",
                                        new ApiResponse()
                                                .description(
                                                        "to /v1/previews/{previewId}/, "
                                                                + "with Set-Cookie crownest_preview (HttpOnly, SameSite=Lax, Path=/v1/previews/{previewId})")));
        document.getPaths().addPathItem("/v1/previews/{previewId}", new PathItem().get(exchange));
        document.getPaths()
                .addPathItem(
                        "/v1/previews/{previewId}/{path}",
                        new PathItem()
                                .get(proxied)
                                .post(proxied)
                                .put(proxied)
                                .patch(proxied)
                                .delete(proxied)
                                .head(proxied)
                                .options(proxied));
    }
}
