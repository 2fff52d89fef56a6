package dev.crownest.billing.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.event.PlatformEvent;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import java.sql.Timestamp;
import java.time.Clock;

/** Writes an event to the outbox in the caller's transaction: it is published exactly when the change commits. */
@Component
public class EventOutbox {
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Clock clock;

    EventOutbox(JdbcTemplate jdbc, ObjectMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void append(String topic, String key, PlatformEvent event) {
        try {
            jdbc.update("INSERT INTO outbox_event (event_id, topic, event_key, payload, created_at) VALUES (?, ?, ?, ?, ?)",
                    event.eventId(), topic, key, json.writerFor(PlatformEvent.class).writeValueAsString(event), Timestamp.from(clock.instant()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + event.getClass().getSimpleName(), e);
        }
    }
}
