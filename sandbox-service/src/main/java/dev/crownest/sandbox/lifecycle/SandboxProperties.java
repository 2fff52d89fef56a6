package dev.crownest.sandbox.lifecycle;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code crownest.sandbox.*}: how long a create call waits for the node's report, and how a
 * command call with {@code wait=true} waits beyond the command's own timeout.
 *
 * @param startTimeout     {@code CROWNEST_SANDBOX_START_TIMEOUT}, default 30s
 * @param commandWaitGrace {@code CROWNEST_SANDBOX_COMMAND_WAIT_GRACE}, default 15s
 * @param cancelWait       {@code CROWNEST_SANDBOX_CANCEL_WAIT}: how long a cancel waits for the command to end, default 10s
 * @param pausedRetention  {@code CROWNEST_SANDBOX_PAUSED_RETENTION}: how long a sandbox may stay paused (its
 *                         snapshot kept) before it is ended with reason {@code retention}, default 7d
 */
@ConfigurationProperties(prefix = "crownest.sandbox")
public record SandboxProperties(
        @DefaultValue("30s") Duration startTimeout,
        @DefaultValue("15s") Duration commandWaitGrace,
        @DefaultValue("10s") Duration cancelWait,
        @DefaultValue("7d") Duration pausedRetention) {}
