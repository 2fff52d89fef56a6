package dev.crownest.gateway.file;

import dev.crownest.gateway.error.GatewayException;
import dev.crownest.gateway.key.ApiKeyCache;
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
class SignedFileRoutes {

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 1)
    RouterFunction<ServerResponse> signedFiles(SignedFileUrls urls, FileHandler files, ApiKeyCache keys) {
        return RouterFunctions.route(RequestPredicates.path(SignedFileUrls.PATH), request -> {
            SignedFileUrls.Grant grant = urls.verify(request.queryParams(), request.method());
            if (keys.isRevoked(grant.keyId())) {
                return Mono.error(new GatewayException(HttpStatus.FORBIDDEN, "permission", "signed_url_invalid",
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
