package dev.crownest.contracts.api;

/**
 * A refusal the caller should see, rendered as {@link ApiError} with this HTTP status. The one
 * exception type of every service and the gateway: it lives beside the error shape, free of any web
 * stack, so servlet services, the WebFlux gateway and Axon aggregates all throw the same thing.
 * Carries no cause and no stack trace: these are answers, not failures.
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final String type;
    private final String code;

    public ApiException(int status, String type, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
    }

    /** 400: the request is malformed or breaks a rule. */
    public static ApiException badRequest(String code, String message) {
        return new ApiException(400, "invalid_request", code, message);
    }

    /** 401: no credential, or one that is not valid. */
    public static ApiException unauthenticated(String code, String message) {
        return new ApiException(401, "authentication", code, message);
    }

    /** 403: the caller may not do this (a scope or a permission of its tenant). */
    public static ApiException forbidden(String code, String message) {
        return new ApiException(403, "permission", code, message);
    }

    /** 404: no such resource for this caller (another tenant's is not found either). */
    public static ApiException notFound(String code, String message) {
        return new ApiException(404, "not_found", code, message);
    }

    /** 410: the resource existed and was deleted. */
    public static ApiException gone(String code, String message) {
        return new ApiException(410, "gone", code, message);
    }

    /** 409: the resource's state does not allow it. */
    public static ApiException conflict(String code, String message) {
        return new ApiException(409, "conflict", code, message);
    }

    /** 503: a part is unavailable for now; the caller may retry. */
    public static ApiException unavailable(String code, String message) {
        return new ApiException(503, "unavailable", code, message);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String code() {
        return code;
    }
}
