package dev.crownest.gateway.ratelimit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code crownest.signup-limit.*}: how many sign-ups one source address may make at one gateway.
 *
 * @param perMinute {@code CROWNEST_SIGNUP_LIMIT_PER_MINUTE}: the sustained rate (default 5 a minute)
 * @param burst     {@code CROWNEST_SIGNUP_LIMIT_BURST}: how many at once after a quiet time (default 5)
 */
@ConfigurationProperties("crownest.signup-limit")
record SignupLimitProperties(
        @DefaultValue("5") double perMinute,
        @DefaultValue("5") double burst) {}
