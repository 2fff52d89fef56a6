package dev.crownest.sandbox.web;

/** Headers of internal calls beyond the contracts' {@code InternalHeaders}. */
public final class CallerHeaders {
    /** Set by the gateway when it streams a command's output and so must know its id up front. */
    public static final String COMMAND_ID = "X-CrowNest-Command-Id";

    private CallerHeaders() {}
}
