-- Webhook endpoints of tenants. The signing secret is sealed under the stack key (never in clear);
-- a deleted endpoint keeps its row (deliveries name it) and gets nothing more.
CREATE TABLE webhook_endpoint (
    id                 TEXT PRIMARY KEY,
    tenant_id          TEXT        NOT NULL,
    url                TEXT        NOT NULL,
    events             TEXT[]      NOT NULL,
    sealed_secret      TEXT        NOT NULL,
    created_at         TIMESTAMPTZ NOT NULL,
    created_by         TEXT        NOT NULL,
    secret_rotated_at  TIMESTAMPTZ,
    deleted_at         TIMESTAMPTZ
);
CREATE INDEX webhook_endpoint_tenant ON webhook_endpoint (tenant_id) WHERE deleted_at IS NULL;

-- One row per (endpoint, event): the durable queue of deliveries and their history. The unique key
-- makes a redelivered Kafka record, or a second source of the same event, add nothing.
CREATE TABLE webhook_delivery (
    id                BIGSERIAL PRIMARY KEY,
    endpoint_id       TEXT        NOT NULL REFERENCES webhook_endpoint (id),
    event_id          TEXT        NOT NULL,
    event_type        TEXT        NOT NULL,
    payload           TEXT        NOT NULL,
    status            TEXT        NOT NULL CHECK (status IN ('pending', 'delivered', 'failed', 'cancelled')),
    attempts          INT         NOT NULL DEFAULT 0,
    created_at        TIMESTAMPTZ NOT NULL,
    next_attempt_at   TIMESTAMPTZ NOT NULL,
    lease_until       TIMESTAMPTZ,
    last_attempt_at   TIMESTAMPTZ,
    last_status_code  INT,
    last_error        TEXT,
    delivered_at      TIMESTAMPTZ,
    UNIQUE (endpoint_id, event_id)
);
CREATE INDEX webhook_delivery_due ON webhook_delivery (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_delivery_endpoint ON webhook_delivery (endpoint_id, id);

-- credits.low is told once per fall below the threshold: a tenant's row says it is below now.
CREATE TABLE credit_alert (
    tenant_id  TEXT PRIMARY KEY,
    low_since  TIMESTAMPTZ NOT NULL
);
