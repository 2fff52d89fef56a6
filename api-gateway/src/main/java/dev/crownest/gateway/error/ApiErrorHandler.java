package dev.crownest.gateway.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.api.ApiError;
import dev.crownest.contracts.api.ApiException;
import dev.crownest.gateway.request.RequestIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * The one place that turns any failure into the ApiError JSON shape with the right status. Ordered
 * before Spring Boot's default handler, so no Whitelabel page or stack trace ever reaches a client.
 */
@Component
@Order(-2)
public class ApiErrorHandler implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiErrorHandler.class);

    private final ObjectMapper json;

    public ApiErrorHandler(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            // Mid-stream (e.g. SSE): nothing can be said any more; the connection closes.
            return Mono.error(failure);
        }
        ApiException error = translate(failure, exchange);
        String requestId = RequestIds.of(exchange);
        byte[] body;
        try {
            body = json.writeValueAsBytes(ApiError.of(error.type(), error.code(), error.getMessage(), requestId));
        } catch (JsonProcessingException e) {
            return Mono.error(e);
        }
        response.setStatusCode(HttpStatusCode.valueOf(error.status()));
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        response.getHeaders().setContentLength(body.length);
        response.getHeaders().set(RequestIds.RESPONSE_HEADER, requestId);
        if (error.status() == HttpStatus.SERVICE_UNAVAILABLE.value()
                && !response.getHeaders().containsKey(HttpHeaders.RETRY_AFTER)) {
            // the one 5xx a client may see, always with when to try again
            response.getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
        }
        if (failure instanceof MethodNotAllowedException notAllowed) {
            response.getHeaders().setAllow(notAllowed.getSupportedMethods());
        }
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }

    private ApiException translate(Throwable failure, ServerWebExchange exchange) {
        if (failure instanceof ApiException known) {
            return known;
        }
        if (causedBy(failure, DataBufferLimitException.class)) {
            return new ApiException(
                    HttpStatus.PAYLOAD_TOO_LARGE.value(),
                    "invalid_request",
                    "payload_too_large",
                    "the request body is larger than the gateway accepts");
        }
        if (failure instanceof WebClientRequestException) {
            log.warn(
                    "upstream unreachable for {} {}: {}",
                    exchange.getRequest().getMethod(),
                    exchange.getRequest().getPath(),
                    failure.getMessage());
            return ApiException.unavailable(
                    "upstream_unavailable", "a service behind the gateway is unavailable, retry shortly");
        }
        if (failure instanceof MethodNotAllowedException) {
            return new ApiException(
                    HttpStatus.METHOD_NOT_ALLOWED.value(),
                    "invalid_request",
                    "method_not_allowed",
                    "this route does not accept " + exchange.getRequest().getMethod());
        }
        if (failure instanceof ServerWebInputException) {
            return ApiException.badRequest("invalid_request", "the request could not be read");
        }
        if (failure instanceof ResponseStatusException statusFailure) {
            return fromStatus(statusFailure.getStatusCode());
        }
        log.error(
                "unexpected failure on {} {}",
                exchange.getRequest().getMethod(),
                exchange.getRequest().getPath(),
                failure);
        return new ApiException(
                HttpStatus.INTERNAL_SERVER_ERROR.value(),
                "internal",
                "internal_error",
                "the gateway failed to handle the request");
    }

    private static ApiException fromStatus(HttpStatusCode code) {
        HttpStatus status = HttpStatus.resolve(code.value());
        if (status == null) {
            status = HttpStatus.INTERNAL_SERVER_ERROR;
        }
        return switch (status) {
            case NOT_FOUND -> new ApiException(status.value(), "not_found", "route_not_found", "no such route");
            case UNSUPPORTED_MEDIA_TYPE ->
                new ApiException(
                        status.value(),
                        "invalid_request",
                        "unsupported_media_type",
                        "send the body as application/json");
            case NOT_ACCEPTABLE ->
                new ApiException(
                        status.value(), "invalid_request", "not_acceptable", "this route answers application/json");
            case PAYLOAD_TOO_LARGE ->
                new ApiException(
                        status.value(),
                        "invalid_request",
                        "payload_too_large",
                        "the request body is larger than the gateway accepts");
            default ->
                status.is4xxClientError()
                        ? new ApiException(
                                status.value(), "invalid_request", "invalid_request", status.getReasonPhrase())
                        : new ApiException(
                                status.value(),
                                "internal",
                                "internal_error",
                                "the gateway failed to handle the request");
        };
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
