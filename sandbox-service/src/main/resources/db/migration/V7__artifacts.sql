-- Artifacts: files a command declared in `collect`, stored after its exit 0 in the artifact store
-- (content) and indexed here. They outlive the sandbox; reads always filter by tenant (and project).
CREATE TABLE artifact_view (
    id           VARCHAR(64)  PRIMARY KEY,
    tenant_id    VARCHAR(128) NOT NULL,
    project_id   VARCHAR(128),
    sandbox_id   VARCHAR(64)  NOT NULL,
    command_id   VARCHAR(128) NOT NULL,
    path         TEXT         NOT NULL,
    name         TEXT         NOT NULL,
    size         BIGINT       NOT NULL,
    sha256       CHAR(64)     NOT NULL,
    content_type VARCHAR(255) NOT NULL,
    storage_key  TEXT         NOT NULL,
    created_at   TIMESTAMPTZ  NOT NULL,
    -- a retried upload or a redelivered event never indexes a path of a command twice
    CONSTRAINT artifact_view_command_path UNIQUE (command_id, path)
);
CREATE INDEX artifact_view_sandbox ON artifact_view (tenant_id, sandbox_id, created_at DESC, id DESC);

-- What a command declared, and what of it could not be collected ([{path, code, message}]).
ALTER TABLE command_view ADD COLUMN collect JSONB;
ALTER TABLE command_view ADD COLUMN collect_errors JSONB;
