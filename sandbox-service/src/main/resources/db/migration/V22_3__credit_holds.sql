-- Billing's credit stop, followed from billing-events (CreditsExhausted / CreditsRestored): a held tenant's
-- sandboxes are paused, its creates, forks and resumes refused with 402 credits_exhausted. changed_at is the
-- deciding event's time, so a redelivered or replayed older event never undoes a later one.
CREATE TABLE credit_hold (
    tenant_id   VARCHAR(128) PRIMARY KEY,
    held        BOOLEAN      NOT NULL,
    changed_at  TIMESTAMPTZ  NOT NULL
);
