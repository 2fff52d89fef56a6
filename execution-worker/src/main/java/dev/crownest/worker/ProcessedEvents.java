package dev.crownest.worker;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Event ids seen lately, so a redelivered event is not acted on twice. Bounded and in memory: after
 * a worker restart a redelivery can act again (node starts are idempotent; a command can re-run).
 */
@Component
public class ProcessedEvents {
    private static final int CAPACITY = 100_000;

    private final Map<UUID, Boolean> seen = Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Boolean> eldest) {
            return size() > CAPACITY;
        }
    });

    public boolean firstTime(UUID eventId) {
        return seen.putIfAbsent(eventId, Boolean.TRUE) == null;
    }
}
