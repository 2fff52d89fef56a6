package dev.crownest.sandbox.shared;

/**
 * A command handler said no: the request breaks a rule of the aggregate. Carries the stable ApiError
 * code so the HTTP layer can answer without knowing the rule.
 */
public class CommandRejected extends RuntimeException {

    /** Why, in terms the HTTP layer maps to a status. */
    public enum Reason {
        INVALID,
        FORBIDDEN,
        NOT_FOUND,
        CONFLICT
    }

    private final Reason reason;
    private final String code;

    public CommandRejected(Reason reason, String code, String message) {
        // No stack trace: a rejection is an answer, not a failure.
        super(message, null, false, false);
        this.reason = reason;
        this.code = code;
    }

    public static CommandRejected invalid(String code, String message) {
        return new CommandRejected(Reason.INVALID, code, message);
    }

    /** The caller may not do this (a permission of its tenant), as opposed to a malformed request. */
    public static CommandRejected forbidden(String code, String message) {
        return new CommandRejected(Reason.FORBIDDEN, code, message);
    }

    public static CommandRejected notFound(String code, String message) {
        return new CommandRejected(Reason.NOT_FOUND, code, message);
    }

    public static CommandRejected conflict(String code, String message) {
        return new CommandRejected(Reason.CONFLICT, code, message);
    }

    public Reason reason() {
        return reason;
    }

    public String code() {
        return code;
    }
}
