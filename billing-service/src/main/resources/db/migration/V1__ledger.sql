-- Rated usage seen, by event id: a re-published UsageRated is charged once.
CREATE TABLE processed_event (
    event_id UUID PRIMARY KEY
);

CREATE TABLE usage_charge (
    event_id              UUID PRIMARY KEY REFERENCES processed_event (event_id),
    tenant_id             TEXT            NOT NULL,
    project_id            TEXT,
    sandbox_id            TEXT            NOT NULL,
    second                BIGINT          NOT NULL,
    compute_unit_seconds  NUMERIC(18, 6)  NOT NULL,
    pricing_version       TEXT            NOT NULL,
    amount_usd            NUMERIC(18, 10) NOT NULL
);
CREATE INDEX usage_charge_tenant ON usage_charge (tenant_id, second);

-- The credit ledger: grants are positive, usage negative; a balance is the sum of its rows.
CREATE TABLE credit_ledger (
    id           BIGSERIAL PRIMARY KEY,
    tenant_id    TEXT            NOT NULL,
    kind         TEXT            NOT NULL CHECK (kind IN ('credit_grant', 'usage')),
    amount_usd   NUMERIC(18, 10) NOT NULL,
    reference    TEXT            NOT NULL,
    occurred_at  TIMESTAMPTZ     NOT NULL,
    UNIQUE (tenant_id, kind, reference)
);
