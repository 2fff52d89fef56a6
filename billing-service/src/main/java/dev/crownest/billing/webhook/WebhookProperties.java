package dev.crownest.billing.webhook;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Webhook settings under {@code crownest.webhooks}.
 *
 * @param allowPrivateTargets loopback and private addresses as targets: false (production) refuses them at
 *                            registration and at every delivery; the single-machine stack sets it true
 * @param reservedPorts       ports of this host refused as targets whatever the setting: the stack's own
 *                            gateway, services, Kafka and PostgreSQL (the stack names them)
 * @param connectTimeout      a delivery's connect
 * @param requestTimeout      a delivery's whole answer
 * @param backoffBase         wait after a first failed attempt, doubled per further failure
 * @param backoffMax          longest wait between two attempts
 * @param retryFor            how long after the event a delivery is still tried
 * @param pollInterval        the longest the sender sleeps (new deliveries of this instance and the next
 *                            retry's time wake it sooner); what another instance queued waits up to this
 * @param lease               how long a claimed delivery is left to its sender before another one may take it
 * @param maxInFlight         deliveries under way at once
 * @param maxEndpoints        endpoints one tenant may have
 */
@ConfigurationProperties("crownest.webhooks")
public record WebhookProperties(
        @DefaultValue("false") boolean allowPrivateTargets,
        @DefaultValue List<Integer> reservedPorts,
        @DefaultValue("2s") Duration connectTimeout,
        @DefaultValue("5s") Duration requestTimeout,
        @DefaultValue("1s") Duration backoffBase,
        @DefaultValue("1h") Duration backoffMax,
        @DefaultValue("24h") Duration retryFor,
        @DefaultValue("5s") Duration pollInterval,
        @DefaultValue("60s") Duration lease,
        @DefaultValue("32") int maxInFlight,
        @DefaultValue("20") int maxEndpoints) {}
