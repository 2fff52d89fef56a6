-- Read models, written by the subscribing 'projections' processor in the transaction that appends the
-- events, so a read right after a command sees it. Every table carries the tenant: reads filter by it.

CREATE TABLE sandbox_view (
    id             VARCHAR(64)  PRIMARY KEY,
    tenant_id      VARCHAR(128) NOT NULL,
    project_id     VARCHAR(128),
    status         VARCHAR(16)  NOT NULL,
    template       VARCHAR(64)  NOT NULL,
    ttl_ms         BIGINT       NOT NULL,
    network        VARCHAR(16)  NOT NULL,
    cpu            INTEGER      NOT NULL,
    memory_mb      INTEGER      NOT NULL,
    metadata       JSONB        NOT NULL DEFAULT '{}',
    node_id        VARCHAR(128),
    failure_reason TEXT,
    created_by     VARCHAR(128),
    created_at     TIMESTAMPTZ  NOT NULL,
    started_at     TIMESTAMPTZ,
    ended_at       TIMESTAMPTZ,
    expires_at     TIMESTAMPTZ  NOT NULL
);
CREATE INDEX sandbox_view_tenant_created ON sandbox_view (tenant_id, created_at DESC, id DESC);
-- The TTL reaper's scan: only live sandboxes, by deadline.
CREATE INDEX sandbox_view_live_expiry ON sandbox_view (expires_at) WHERE status IN ('starting', 'running');

CREATE TABLE command_view (
    id          VARCHAR(128) PRIMARY KEY,
    sandbox_id  VARCHAR(64)  NOT NULL,
    tenant_id   VARCHAR(128) NOT NULL,
    cmd         TEXT         NOT NULL,
    cwd         TEXT         NOT NULL,
    status      VARCHAR(16)  NOT NULL,
    timeout_ms  BIGINT       NOT NULL,
    exit_code   INTEGER,
    stdout      TEXT,
    stderr      TEXT,
    truncated   BOOLEAN      NOT NULL DEFAULT FALSE,
    timed_out   BOOLEAN      NOT NULL DEFAULT FALSE,
    created_by  VARCHAR(128),
    accepted_at TIMESTAMPTZ  NOT NULL,
    started_at  TIMESTAMPTZ,
    finished_at TIMESTAMPTZ,
    duration_ms BIGINT
);
CREATE INDEX command_view_sandbox ON command_view (tenant_id, sandbox_id, accepted_at DESC, id DESC);

CREATE TABLE api_key_view (
    id          VARCHAR(64)  PRIMARY KEY,
    tenant_id   VARCHAR(128) NOT NULL,
    name        VARCHAR(255) NOT NULL,
    scopes      TEXT[]       NOT NULL,
    project_id  VARCHAR(128),
    secret_hash CHAR(64)     NOT NULL,
    status      VARCHAR(16)  NOT NULL,
    created_by  VARCHAR(128),
    created_at  TIMESTAMPTZ  NOT NULL,
    revoked_at  TIMESTAMPTZ
);
CREATE INDEX api_key_view_tenant ON api_key_view (tenant_id, created_at DESC);
CREATE INDEX api_key_view_secret_hash ON api_key_view (secret_hash);
