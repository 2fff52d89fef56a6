package dev.crownest.gateway.error;

import org.springframework.http.HttpStatus;

/**
 * A refusal the gateway decides itself; the {@link ApiErrorHandler} renders it in the ApiError shape.
 * Carries no cause and no stack trace: these are answers, not failures.
 */
public class GatewayException extends RuntimeException {

    private final HttpStatus status;
    private final String type;
    private final String code;

    public GatewayException(HttpStatus status, String type, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
    }

    public HttpStatus status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String code() {
        return code;
    }

    public static GatewayException authentication(String code, String message) {
        return new GatewayException(HttpStatus.UNAUTHORIZED, "authentication", code, message);
    }

    public static GatewayException invalidRequest(String code, String message) {
        return new GatewayException(HttpStatus.BAD_REQUEST, "invalid_request", code, message);
    }

    public static GatewayException unavailable(String code, String message) {
        return new GatewayException(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", code, message);
    }
}
