package dev.crownest.kit;

import dev.crownest.contracts.api.ApiError;
import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.security.InternalHeaders;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Every failure of an internal service leaves as the one ApiError shape. Unexpected exceptions are
 * logged here with their stack trace and answered as a bare 500: the caller never sees internals.
 */
@RestControllerAdvice
public class ApiErrorAdvice {
    private static final Logger log = LoggerFactory.getLogger(ApiErrorAdvice.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ApiError> api(ApiException e, HttpServletRequest request) {
        return answer(HttpStatus.valueOf(e.status()), e.type(), e.code(), e.getMessage(), request);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ApiError> unreadable(HttpServletRequest request) {
        return answer(
                HttpStatus.BAD_REQUEST,
                "invalid_request",
                "invalid_json",
                "the body is not valid JSON of the expected shape",
                request);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ApiError> badParameter(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        return answer(
                HttpStatus.BAD_REQUEST,
                "invalid_request",
                "invalid_parameter",
                "invalid value for " + e.getName(),
                request);
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ApiError> noRoute(HttpServletRequest request) {
        return answer(
                HttpStatus.NOT_FOUND,
                "not_found",
                "route_not_found",
                "no such route: " + request.getMethod() + " " + request.getRequestURI(),
                request);
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ApiError> method(HttpServletRequest request) {
        return answer(
                HttpStatus.METHOD_NOT_ALLOWED,
                "invalid_request",
                "method_not_allowed",
                request.getMethod() + " is not allowed here",
                request);
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ApiError> mediaType(HttpServletRequest request) {
        return answer(
                HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                "invalid_request",
                "unsupported_media_type",
                "send application/json",
                request);
    }

    /**
     * The client went away while a streamed answer was written (a cancelled or abandoned exec, a watch
     * given up): nothing can be answered and nothing went wrong here, so no error and no stack trace.
     */
    @ExceptionHandler(AsyncRequestNotUsableException.class)
    void clientGone(HttpServletRequest request) {
        log.debug("client of {} {} went away", request.getMethod(), request.getRequestURI());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ApiError> unexpected(Exception e, HttpServletRequest request) {
        log.error("unexpected failure on {} {}", request.getMethod(), request.getRequestURI(), e);
        return answer(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "internal_error", "internal error", request);
    }

    private static ResponseEntity<ApiError> answer(
            HttpStatus status, String type, String code, String message, HttpServletRequest request) {
        // JSON whatever the request accepted: a route that produces a document (an invoice PDF) errs in the one shape
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_JSON)
                .body(ApiError.of(type, code, message, request.getHeader(InternalHeaders.REQUEST_ID)));
    }
}
