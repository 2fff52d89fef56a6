-- A row per sandbox-second cost a btree insert for every second metered. Instead, one row per
-- sandbox and hour holds a bitmap of the seconds metered in it: a second is counted when its bit
-- goes from 0 to 1, so a resent, late or replayed sample still counts exactly once, in its own
-- second, and a batch touches one row per sandbox-hour instead of one per second.
-- A sandbox belongs to one tenant and keeps its allocation for life, so the row's per-second price
-- (its pinned pricing version applied to that allocation) is fixed when the row is created.
DROP TABLE usage_second;
CREATE TABLE usage_hour (
    tenant_id           TEXT            NOT NULL,
    sandbox_id          TEXT            NOT NULL,
    hour                BIGINT          NOT NULL, -- epoch second the hour starts at
    project_id          TEXT,
    vcpu                INT             NOT NULL,
    memory_mb           INT             NOT NULL,
    pricing_version     TEXT            NOT NULL,
    unit_compute_units  NUMERIC(12, 6)  NOT NULL, -- compute_unit_seconds of one second
    unit_amount_usd     NUMERIC(18, 10) NOT NULL, -- price of one second
    seconds_metered     BIT(3600)       NOT NULL, -- bit n: second hour + n was metered
    last_added          BIT(3600)       NOT NULL, -- the bits the latest batch set (what it billed)
    seconds             INT             NOT NULL,
    compute_unit_seconds NUMERIC(18, 6) NOT NULL,
    amount_usd          NUMERIC(18, 10) NOT NULL,
    last_rated_at       TIMESTAMPTZ     NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, sandbox_id, hour)
);
-- Rows arrive in time order: a BRIN index narrows time ranges for almost nothing.
CREATE INDEX usage_hour_time ON usage_hour USING brin (hour);
