-- Kafka positions stored with the rows they produced, in the same transaction: after a crash the
-- consumer resumes exactly where the last committed batch ended (Kafka's own commit is advisory).
CREATE TABLE consumer_offset (
    consumer     TEXT   NOT NULL,
    topic        TEXT   NOT NULL,
    partition    INT    NOT NULL,
    next_offset  BIGINT NOT NULL,
    PRIMARY KEY (consumer, topic, partition)
);

-- Events to publish, written in the transaction that decided them; sent after commit and deleted
-- once Kafka acknowledged them. A crash in between leaves the row for the next sweep.
CREATE TABLE event_outbox (
    id          BIGSERIAL PRIMARY KEY,
    topic       TEXT        NOT NULL,
    event_key   TEXT        NOT NULL,
    payload     TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- What each sandbox holds, from admission and the lifecycle events. Active = not ended and not
-- past its deadline, so an admission whose sandbox never started frees itself at its TTL.
CREATE TABLE sandbox_allocation (
    sandbox_id     TEXT PRIMARY KEY,
    tenant_id      TEXT          NOT NULL,
    project_id     TEXT,
    vcpu           INT           NOT NULL,
    memory_mb      INT           NOT NULL,
    compute_units  NUMERIC(12, 6) NOT NULL,
    admitted_at    TIMESTAMPTZ   NOT NULL,
    expires_at     TIMESTAMPTZ   NOT NULL,
    started_at     TIMESTAMPTZ,
    ended_at       TIMESTAMPTZ
);
CREATE INDEX sandbox_allocation_active ON sandbox_allocation (tenant_id, project_id) WHERE ended_at IS NULL;

-- A tenant's plan; absent means the configured default plan.
CREATE TABLE tenant_plan (
    tenant_id   TEXT PRIMARY KEY,
    plan        TEXT        NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- A bucket's limits, set by an operator. bucket = '' for the tenant, else the project id.
-- Absent: the tenant bucket takes its plan's limits, a project bucket has none of its own.
-- A NULL limit means none.
CREATE TABLE quota_bucket (
    tenant_id                       TEXT NOT NULL,
    bucket                          TEXT NOT NULL,
    max_concurrent_sandboxes        INT,
    max_lifetime_ms                 BIGINT,
    rate_compute_units_per_second   NUMERIC(12, 6),
    hard_cap_compute_unit_seconds   NUMERIC(18, 6),
    hard_cap_amount_usd             NUMERIC(18, 10),
    updated_at                      TIMESTAMPTZ NOT NULL,
    updated_by                      TEXT        NOT NULL,
    PRIMARY KEY (tenant_id, bucket)
);

-- Spend per bucket and period, advanced in the metering transaction. warned_*/breached_* keep
-- the cap at which the event was last raised, so each crossing is announced once per cap.
CREATE TABLE bucket_usage (
    tenant_id              TEXT            NOT NULL,
    bucket                 TEXT            NOT NULL,
    period                 DATE            NOT NULL,
    compute_unit_seconds   NUMERIC(18, 6)  NOT NULL DEFAULT 0,
    amount_usd             NUMERIC(18, 10) NOT NULL DEFAULT 0,
    warned_cus_cap         NUMERIC(18, 6),
    warned_amount_cap      NUMERIC(18, 10),
    breached_cus_cap       NUMERIC(18, 6),
    breached_amount_cap    NUMERIC(18, 10),
    PRIMARY KEY (tenant_id, bucket, period)
);
