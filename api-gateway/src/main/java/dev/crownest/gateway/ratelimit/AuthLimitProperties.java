package dev.crownest.gateway.ratelimit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code crownest.auth-limit.*}: how many failed authentications (401) one source address may make with
 * one credential prefix at one gateway, before it is answered 429 {@code auth_rate_limited}.
 *
 * @param failuresPerMinute the sustained rate of failures allowed
 * @param burst             how many failures at once after a quiet time
 */
@ConfigurationProperties("crownest.auth-limit")
record AuthLimitProperties(
        @DefaultValue("30") double failuresPerMinute,
        @DefaultValue("30") double burst) {}
