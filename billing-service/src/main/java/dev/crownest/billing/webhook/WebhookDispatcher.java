package dev.crownest.billing.webhook;

import dev.crownest.billing.webhook.WebhookDeliveries.Claimed;
import dev.crownest.billing.webhook.WebhookSender.Outcome;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Sends due deliveries: one thread claims what is due and hands each to the {@link WebhookSender}; up
 * to {@code max-in-flight} are under way at once, each recorded as it completes. A slow receiver holds
 * only its own deliveries. The thread sleeps until the next retry is due, or a transaction queued new
 * deliveries, or at most {@code poll-interval} (what another instance queued is seen within it): an
 * idle service asks its database twice per interval, nothing more.
 */
@Component
class WebhookDispatcher implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
    private static final long MIN_WAIT_MILLIS = 20;

    private final WebhookDeliveries deliveries;
    private final WebhookSender sender;
    private final WebhookProperties properties;
    private final Semaphore inFlight;
    private final Semaphore wakeUp = new Semaphore(0);
    // outcomes are recorded here, off the HTTP client's threads
    private final ExecutorService recorder = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("webhook-recorder").daemon().factory());
    private volatile boolean running;
    private volatile boolean backlog;
    private Thread loop;

    WebhookDispatcher(WebhookDeliveries deliveries, WebhookSender sender, WebhookProperties properties) {
        this.deliveries = deliveries;
        this.sender = sender;
        this.properties = properties;
        this.inFlight = new Semaphore(properties.maxInFlight());
    }

    /** New deliveries are queued: look now instead of at the next poll. */
    void wake() {
        wakeUp.release();
    }

    @Override
    public void start() {
        running = true;
        loop = Thread.ofPlatform().name("webhook-dispatcher").daemon().start(this::run);
    }

    @Override
    public void stop() {
        running = false;
        wake();
        try {
            loop.join(properties.requestTimeout().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void run() {
        while (running) {
            try {
                int claimed = dispatchDue();
                long longest = properties.pollInterval().toMillis();
                // all senders busy: a completion wakes the loop; else until the next due retry
                long wait = inFlight.availablePermits() == 0 ? longest : deliveries.millisUntilNextDue(longest);
                if (claimed == 0) {
                    wait = Math.max(wait, MIN_WAIT_MILLIS); // due rows another instance holds: no spinning
                }
                wakeUp.tryAcquire(wait, TimeUnit.MILLISECONDS);
                wakeUp.drainPermits();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // the database out of reach: the deliveries wait in it, tried at the next poll
                log.warn("webhook deliveries not claimed: {}", e.getMessage());
                sleepQuietly();
            }
        }
    }

    /** Claims and sends what is due, as far as senders are free; answers how many. */
    private int dispatchDue() throws InterruptedException {
        int free = inFlight.availablePermits();
        if (free == 0) {
            backlog = true;
            return 0;
        }
        List<Claimed> claimed = deliveries.claim(free);
        backlog = claimed.size() == free;
        for (Claimed delivery : claimed) {
            inFlight.acquire();
            sender.send(delivery).whenCompleteAsync((outcome, failure) -> record(delivery, outcome), recorder);
        }
        return claimed.size();
    }

    private void record(Claimed delivery, Outcome outcome) {
        try {
            if (outcome != null && outcome.delivered()) {
                deliveries.delivered(delivery.id(), outcome.status());
            } else {
                deliveries.failed(
                        delivery.id(),
                        outcome == null ? null : outcome.status(),
                        outcome == null ? "the attempt failed" : outcome.error());
            }
        } catch (RuntimeException e) {
            // unrecorded: its lease ends and it is sent again, with the same event id
            log.warn("webhook delivery {} not recorded: {}", delivery.id(), e.getMessage());
        } finally {
            inFlight.release();
            // a failure has its next attempt to wait for; a backlog has more to claim
            if (backlog || outcome == null || !outcome.delivered()) {
                wake();
            }
        }
    }

    private void sleepQuietly() {
        try {
            Thread.sleep(properties.pollInterval().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
