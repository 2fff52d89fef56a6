package dev.crownest.sandbox.shared;

import org.hamcrest.CustomTypeSafeMatcher;
import org.hamcrest.Matcher;

/** Hamcrest matcher for the fixture's {@code expectException}: rejected with this ApiError code. */
public final class Rejections {
    private Rejections() {}

    public static Matcher<CommandRejected> rejectedWith(CommandRejected.Reason reason, String code) {
        return new CustomTypeSafeMatcher<>("rejected as " + reason + " with code " + code) {
            @Override
            protected boolean matchesSafely(CommandRejected rejection) {
                return rejection.reason() == reason && rejection.code().equals(code);
            }
        };
    }
}
