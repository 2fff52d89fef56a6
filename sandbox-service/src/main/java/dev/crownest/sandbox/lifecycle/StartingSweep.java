package dev.crownest.sandbox.lifecycle;

import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Starts again the creates still starting long after their create call should have settled them (twice
 * the start timeout): this service stopped between recording {@code SandboxCreated} and the node's
 * answer, or could not record that answer. The node starts idempotently by sandbox id, so a sandbox it
 * already runs is answered as it is and only its start is recorded; every create ends started or failed.
 */
@Component
class StartingSweep {
    private static final Logger log = LoggerFactory.getLogger(StartingSweep.class);
    private static final int BATCH = 50;

    private final SandboxViews views;
    private final SandboxStarts starts;
    private final SandboxProperties properties;
    private final Clock clock;

    StartingSweep(SandboxViews views, SandboxStarts starts, SandboxProperties properties, Clock clock) {
        this.views = views;
        this.starts = starts;
        this.properties = properties;
        this.clock = clock;
    }

    @Scheduled(fixedDelay = 5, timeUnit = TimeUnit.SECONDS, initialDelay = 5)
    void restartLost() {
        var before = clock.instant().minus(properties.startTimeout().multipliedBy(2));
        for (String sandboxId : views.startingSince(before, BATCH)) {
            try {
                log.info("sandbox {} is still starting: starting it again", sandboxId);
                starts.start(sandboxId).get(properties.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                return; // the node is slow: the next sweep goes on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                log.warn("could not start sandbox {} again: {}", sandboxId, e.toString());
            }
        }
    }
}
