-- Pricing versions are immutable: a price change is a new row; usage keeps the version it was rated under.
CREATE TABLE pricing_version (
    version                    TEXT PRIMARY KEY,
    usd_per_compute_unit_hour  NUMERIC(18, 8) NOT NULL,
    -- one compute unit = max(vcpu / vcpu_per_unit, memory_mb / memory_mb_per_unit)
    vcpu_per_unit              NUMERIC(10, 4) NOT NULL,
    memory_mb_per_unit         NUMERIC(12, 2) NOT NULL,
    effective_from             TIMESTAMPTZ    NOT NULL
);
-- The standard runtime: $0.12 per sandbox-hour for 1 vCPU / 2 GiB, billed per second.
INSERT INTO pricing_version VALUES ('2026-11-01', 0.12, 1, 2048, '2026-11-01T00:00:00Z');

-- Each tenant is pinned to a version at its first metered second.
CREATE TABLE tenant_pricing (
    tenant_id       TEXT PRIMARY KEY,
    pricing_version TEXT NOT NULL REFERENCES pricing_version (version)
);

-- One row per sandbox per second: the unique key makes a resent sample count once.
CREATE TABLE usage_second (
    sandbox_id            TEXT           NOT NULL,
    second                BIGINT         NOT NULL,
    tenant_id             TEXT           NOT NULL,
    project_id            TEXT,
    vcpu                  INT            NOT NULL,
    memory_mb             INT            NOT NULL,
    compute_unit_seconds  NUMERIC(18, 6) NOT NULL,
    pricing_version       TEXT           NOT NULL,
    amount_usd            NUMERIC(18, 10) NOT NULL,
    event_id              UUID           NOT NULL,
    PRIMARY KEY (sandbox_id, second)
);
CREATE INDEX usage_second_tenant_time ON usage_second (tenant_id, second);
