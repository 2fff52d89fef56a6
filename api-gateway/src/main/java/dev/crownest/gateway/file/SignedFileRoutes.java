package dev.crownest.gateway.file;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.gateway.key.ApiKeyCache;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.QueryParameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * {@code /v1/signed/files}: the one route that takes no API key. The URL's signature is the credential;
 * it reads or writes the one file it names, as the key that made it, while that key is not revoked and
 * the sandbox runs. Ordered before the public API's table, whose fallback answers everything else.
 */
@Configuration(proxyBeanMethods = false)
public class SignedFileRoutes {

    /** Adds {@code /v1/signed/files} to the OpenAPI document (it is in no route table: its credential differs). */
    public static void describe(OpenAPI document) {
        Operation operation = new Operation()
                .summary("Use a staged signed URL (from POST /v1/sandboxes/{id}/files/"
                        + "upload-url or download-url): GET reads, PUT or POST (raw or multipart) writes the one file it "
                        + "names, with no API key. 403 signed_url_invalid (tampered, or its key revoked), 403 "
                        + "signed_url_expired, 405 for the other operation, 409 when the sandbox does not run")
                .responses(new ApiResponses()
                        .addApiResponse("default", new ApiResponse().description("as the files API")));
        for (String name : new String[] {"sandbox", "path", "op", "tenant", "by", "exp", "sig"}) {
            operation.addParametersItem(
                    new QueryParameter().name(name).required(true).schema(new StringSchema()));
        }
        operation.addExtension("x-required-scope", "none: the URL's HMAC signature");
        document.getPaths()
                .addPathItem(
                        SignedFileUrls.PATH,
                        new PathItem().get(operation).put(operation).post(operation));
    }

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 1)
    RouterFunction<ServerResponse> signedFiles(SignedFileUrls urls, FileHandler files, ApiKeyCache keys) {
        return RouterFunctions.route(RequestPredicates.path(SignedFileUrls.PATH), request -> {
            SignedFileUrls.Grant grant = urls.verify(request.queryParams(), request.method());
            if (keys.isRevoked(grant.keyId())) {
                return Mono.error(new ApiException(
                        HttpStatus.FORBIDDEN.value(),
                        "permission",
                        "signed_url_invalid",
                        "the API key that made this signed URL was revoked"));
            }
            // the key's project restriction was checked when the URL was made, for this sandbox alone
            FileCaller caller = new FileCaller(grant.tenantId(), null, grant.keyId());
            return grant.operation() == SignedFileUrls.Operation.READ
                    ? files.download(request, caller, grant.sandboxId(), grant.path())
                    : files.upload(request, caller, grant.sandboxId(), grant.path());
        });
    }
}
