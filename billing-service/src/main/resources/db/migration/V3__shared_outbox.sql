-- The outbox every CrowNest service with a database uses (service-kit's EventOutbox): rows are sent
-- right after their transaction commits and deleted once Kafka acknowledged them.
DROP TABLE outbox_event;
CREATE TABLE event_outbox (
    id          BIGSERIAL PRIMARY KEY,
    topic       TEXT        NOT NULL,
    event_key   TEXT        NOT NULL,
    payload     TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
