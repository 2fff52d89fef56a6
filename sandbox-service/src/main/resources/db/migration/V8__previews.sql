-- Previews of sandbox ports. At most one active preview per sandbox and port: the partial unique index
-- makes the second of two simultaneous creates fail in the projection, which rolls its events back.
CREATE TABLE preview_view (
    id          VARCHAR(64)  PRIMARY KEY,
    sandbox_id  VARCHAR(64)  NOT NULL,
    tenant_id   VARCHAR(128) NOT NULL,
    project_id  VARCHAR(128),
    port        INTEGER      NOT NULL,
    status      VARCHAR(16)  NOT NULL,
    created_by  VARCHAR(128),
    created_at  TIMESTAMPTZ  NOT NULL,
    closed_at   TIMESTAMPTZ,
    close_reason VARCHAR(64)
);
CREATE UNIQUE INDEX preview_view_one_active ON preview_view (sandbox_id, port) WHERE status = 'active';
CREATE INDEX preview_view_sandbox ON preview_view (sandbox_id, created_at DESC);
