package dev.crownest.kit.auth;

import dev.crownest.contracts.security.InternalHeaders;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.publisher.Mono;

/**
 * Puts the service credential on a WebClient's calls to internal hosts. Spring's WebClient builders get
 * it from {@link ServiceAuthConfiguration}; a client made outside Spring (the benchmarks' NodeClient)
 * adds it with {@code WebClient.builder().filter(new WebClientCredential(credential))}.
 */
public final class WebClientCredential implements ExchangeFilterFunction {
    private final ServiceCredential credential;

    public WebClientCredential(ServiceCredential credential) {
        this.credential = credential;
    }

    @Override
    public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
        if (!credential.isFor(request.url())) {
            return next.exchange(request);
        }
        return next.exchange(ClientRequest.from(request)
                .headers(headers -> headers.set(InternalHeaders.SERVICE_TOKEN, credential.token()))
                .build());
    }
}
