-- Rated usage is a span of seconds (UsageRated schema 2); V1 rows were one second each.
ALTER TABLE usage_charge ADD COLUMN to_second BIGINT;
ALTER TABLE usage_charge ADD COLUMN seconds BIGINT NOT NULL DEFAULT 1;
ALTER TABLE usage_charge ADD COLUMN invoice_id TEXT;
UPDATE usage_charge SET to_second = second WHERE to_second IS NULL;

-- Credit applied to an invoice at finalize, and its reversal when voided: entries of their own.
ALTER TABLE credit_ledger DROP CONSTRAINT credit_ledger_kind_check;
ALTER TABLE credit_ledger ADD CONSTRAINT credit_ledger_kind_check
    CHECK (kind IN ('credit_grant', 'usage', 'credit_applied', 'credit_reversed'));

-- One row per tenant: serializes finalize (invoice numbers, credit) and holds the Stripe customer.
CREATE TABLE billing_account (
    tenant_id           TEXT PRIMARY KEY,
    invoice_seq         INT         NOT NULL DEFAULT 0,
    stripe_customer_id  TEXT,
    created_at          TIMESTAMPTZ NOT NULL
);

CREATE TABLE invoice (
    id                  TEXT PRIMARY KEY,
    tenant_id           TEXT            NOT NULL REFERENCES billing_account (tenant_id),
    period              TEXT            NOT NULL,
    status              TEXT            NOT NULL CHECK (status IN ('draft', 'open', 'void')),
    number              TEXT UNIQUE,
    subtotal_usd        NUMERIC(18, 10),
    credit_applied_usd  NUMERIC(18, 10),
    total_usd           NUMERIC(18, 10),
    created_at          TIMESTAMPTZ     NOT NULL,
    finalized_at        TIMESTAMPTZ,
    finalized_by        TEXT,
    voided_at           TIMESTAMPTZ,
    voided_by           TEXT,
    void_reason         TEXT,
    stripe_invoice_id   TEXT
);
-- At most one draft per tenant and period; finalized and void invoices of a period may be several.
CREATE UNIQUE INDEX invoice_one_draft ON invoice (tenant_id, period) WHERE status = 'draft';
CREATE INDEX invoice_tenant ON invoice (tenant_id, created_at);

-- Lines aggregate rated usage by (project, pricing version); adjusts_period marks late usage of a closed period.
CREATE TABLE invoice_line (
    invoice_id            TEXT            NOT NULL REFERENCES invoice (id),
    project_id            TEXT            NOT NULL,
    pricing_version       TEXT            NOT NULL,
    adjusts_period        TEXT            NOT NULL,
    compute_unit_seconds  NUMERIC(18, 6)  NOT NULL,
    seconds               BIGINT          NOT NULL,
    amount_usd            NUMERIC(18, 10) NOT NULL,
    PRIMARY KEY (invoice_id, project_id, pricing_version, adjusts_period)
);

-- Transactional outbox of billing-events: written with the change, sent and marked by OutboxPublisher.
CREATE TABLE outbox_event (
    id            BIGSERIAL PRIMARY KEY,
    event_id      UUID        NOT NULL UNIQUE,
    topic         TEXT        NOT NULL,
    event_key     TEXT        NOT NULL,
    payload       TEXT        NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    published_at  TIMESTAMPTZ
);
CREATE INDEX outbox_unpublished ON outbox_event (id) WHERE published_at IS NULL;

-- What Stripe has answered for: written only after the answer, so a retry resends (under the same idempotency key).
CREATE TABLE stripe_sync (
    kind       TEXT        NOT NULL CHECK (kind IN ('customer', 'meter', 'invoice', 'invoice_void')),
    reference  TEXT        NOT NULL,
    stripe_id  TEXT,
    synced_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (kind, reference)
);

-- Failed attempts and when to try again (exponential backoff).
CREATE TABLE stripe_sync_failure (
    kind             TEXT        NOT NULL,
    reference        TEXT        NOT NULL,
    attempts         INT         NOT NULL,
    next_attempt_at  TIMESTAMPTZ NOT NULL,
    last_error       TEXT,
    PRIMARY KEY (kind, reference)
);

-- Usage charged before invoices existed goes on draft invoices of its months, like new usage does.
INSERT INTO billing_account (tenant_id, created_at)
SELECT tenant_id, min(now()) FROM usage_charge GROUP BY tenant_id;
UPDATE usage_charge SET invoice_id = 'inv_' || md5(tenant_id || '/' || to_char(to_timestamp(second) AT TIME ZONE 'UTC', 'YYYY-MM'));
INSERT INTO invoice (id, tenant_id, period, status, created_at)
SELECT DISTINCT invoice_id, tenant_id, to_char(to_timestamp(second) AT TIME ZONE 'UTC', 'YYYY-MM'), 'draft', now() FROM usage_charge;
INSERT INTO invoice_line (invoice_id, project_id, pricing_version, adjusts_period, compute_unit_seconds, seconds, amount_usd)
SELECT invoice_id, coalesce(project_id, ''), pricing_version, '', sum(compute_unit_seconds), sum(seconds), sum(amount_usd)
FROM usage_charge GROUP BY invoice_id, coalesce(project_id, ''), pricing_version;
