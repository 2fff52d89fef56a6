-- Each sandbox's current running interval, from its lifecycle events (RunningIntervals): opened at
-- SandboxStarted and SandboxResumed, closed at a pause or an end. A closed interval of d seconds bills
-- the ceiling of d, from the second it opened in: the seconds the node's sampler saw are the same
-- (sandbox, second) bits in usage_hour, so only the ones it missed are added.
CREATE TABLE sandbox_running (
    sandbox_id     TEXT PRIMARY KEY,
    tenant_id      TEXT        NOT NULL,
    project_id     TEXT,
    vcpu           INT         NOT NULL,
    memory_mb      INT         NOT NULL,
    started        BOOLEAN     NOT NULL DEFAULT false,
    running_since  TIMESTAMPTZ
);
