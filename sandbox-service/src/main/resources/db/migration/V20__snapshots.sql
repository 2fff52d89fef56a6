-- Snapshots (issue 11): each pause makes one; a paused sandbox's TTL stands still, so paused sandboxes
-- leave the reaper's scan and are ended by the retention instead (from paused_at).
ALTER TABLE sandbox_view ADD COLUMN snapshot_id VARCHAR(64);
ALTER TABLE sandbox_view ADD COLUMN from_snapshot VARCHAR(64);
ALTER TABLE sandbox_view ADD COLUMN paused_at TIMESTAMPTZ;

CREATE TABLE snapshot_view (
    id          VARCHAR(64)  PRIMARY KEY,
    tenant_id   VARCHAR(128) NOT NULL,
    project_id  VARCHAR(128),
    sandbox_id  VARCHAR(64)  NOT NULL,
    template    VARCHAR(64)  NOT NULL,
    status      VARCHAR(16)  NOT NULL,
    size_bytes  BIGINT,
    created_at  TIMESTAMPTZ  NOT NULL
);
CREATE INDEX snapshot_view_tenant_created ON snapshot_view (tenant_id, created_at DESC, id DESC);

DROP INDEX sandbox_view_live_expiry;
CREATE INDEX sandbox_view_live_expiry ON sandbox_view (expires_at) WHERE status IN ('starting', 'running');
CREATE INDEX sandbox_view_paused ON sandbox_view (paused_at) WHERE status = 'paused';
