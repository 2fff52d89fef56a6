package dev.crownest.sandbox.web;

import dev.crownest.contracts.api.ApiError;
import dev.crownest.contracts.security.InternalHeaders;
import jakarta.servlet.http.HttpServletRequest;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Turns what Axon answers for an aggregate (not found, created twice, changed concurrently) into
 * ApiErrors. Ordered before the kit's catch-all advice.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class AxonErrorAdvice {

    @ExceptionHandler(AggregateNotFoundException.class)
    ResponseEntity<ApiError> notFound(HttpServletRequest request) {
        return answer(HttpStatus.NOT_FOUND, "not_found", "not_found", "no such resource", request);
    }

    @ExceptionHandler({AggregateStreamCreationException.class, ConcurrencyException.class})
    ResponseEntity<ApiError> conflict(HttpServletRequest request) {
        return answer(
                HttpStatus.CONFLICT,
                "conflict",
                "already_exists",
                "a resource with this id already exists or changed concurrently",
                request);
    }

    private static ResponseEntity<ApiError> answer(
            HttpStatus status, String type, String code, String message, HttpServletRequest request) {
        return ResponseEntity.status(status)
                .body(ApiError.of(type, code, message, request.getHeader(InternalHeaders.REQUEST_ID)));
    }
}
