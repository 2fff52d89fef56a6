package dev.crownest.sandbox.tenant;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code crownest.signup.*}: self-service sign-up.
 *
 * @param enabled {@code CROWNEST_SIGNUP_ENABLED}, default true: whether sign-up is open until the operator
 *                sets it ({@code PUT /v1/settings/signup}; the operator's choice is stored and wins)
 * @param plan    {@code CROWNEST_SIGNUP_PLAN}, default {@code free}: the plan a signed-up tenant starts on
 */
@ConfigurationProperties(prefix = "crownest.signup")
record SignupProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("free") String plan) {}
