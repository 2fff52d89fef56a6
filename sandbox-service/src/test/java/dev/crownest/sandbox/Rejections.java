package dev.crownest.sandbox;

import dev.crownest.contracts.api.ApiException;
import org.hamcrest.CustomTypeSafeMatcher;
import org.hamcrest.Matcher;

/** Hamcrest matcher for the fixture's {@code expectException}: rejected with this status and ApiError code. */
public final class Rejections {
    public static final int INVALID = 400;
    public static final int FORBIDDEN = 403;
    public static final int NOT_FOUND = 404;
    public static final int CONFLICT = 409;

    private Rejections() {}

    public static Matcher<ApiException> rejectedWith(int status, String code) {
        return new CustomTypeSafeMatcher<>("rejected with status " + status + " and code " + code) {
            @Override
            protected boolean matchesSafely(ApiException rejection) {
                return rejection.status() == status && rejection.code().equals(code);
            }
        };
    }
}
