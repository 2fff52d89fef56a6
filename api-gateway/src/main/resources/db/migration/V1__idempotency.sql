-- Idempotency-Key records (Stripe semantics). One row per caller credential and key: the first request
-- claims it ('running'), its answer is kept ('done') for 24 h and replayed to every retry with the same
-- body. The caller is a SHA-256 of the credential, never the credential itself.
CREATE TABLE idempotency_record (
    caller_hash   CHAR(64)     NOT NULL,
    idem_key      VARCHAR(255) NOT NULL,
    fingerprint   CHAR(64)     NOT NULL,
    state         VARCHAR(8)   NOT NULL CHECK (state IN ('running', 'done')),
    status        INTEGER,
    content_type  VARCHAR(255),
    location      TEXT,
    body          BYTEA,
    streamed      BOOLEAN      NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMPTZ  NOT NULL,
    -- a 'running' claim whose gateway died is taken over after this
    lease_until   TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (caller_hash, idem_key)
);
CREATE INDEX idempotency_record_created ON idempotency_record (created_at);
