package dev.crownest.contracts.api;

/**
 * The one error shape of every HTTP API: {@code {"error":{"type","code","message","requestId"}}}.
 *
 * @param error the body
 */
public record ApiError(Body error) {

    /**
     * @param type      broad class: {@code invalid_request}, {@code authentication}, {@code permission},
     *                  {@code not_found}, {@code conflict}, {@code rate_limit}, {@code node}, {@code internal}
     * @param code      stable machine-readable code, e.g. {@code unknown_template}
     * @param message   for humans; never a stack trace or a secret
     * @param requestId correlates with the logs
     */
    public record Body(String type, String code, String message, String requestId) {}

    public static ApiError of(String type, String code, String message, String requestId) {
        return new ApiError(new Body(type, code, message, requestId));
    }
}
