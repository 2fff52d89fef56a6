-- Custom templates of tenants. A name is unique among a tenant's templates not deleted: the partial
-- unique index makes the second of two simultaneous creates fail in the projection (its events roll back).
CREATE TABLE template_view (
    id          VARCHAR(64)  PRIMARY KEY,
    tenant_id   VARCHAR(128) NOT NULL,
    name        VARCHAR(63)  NOT NULL,
    from_name   VARCHAR(63)  NOT NULL,
    status      VARCHAR(16)  NOT NULL,
    size_bytes  BIGINT       NOT NULL DEFAULT 0,
    error       TEXT,
    failed_step INTEGER,
    steps       TEXT,
    created_by  VARCHAR(128),
    created_at  TIMESTAMPTZ  NOT NULL,
    built_at    TIMESTAMPTZ,
    deleted_at  TIMESTAMPTZ
);
CREATE UNIQUE INDEX template_view_name ON template_view (tenant_id, name) WHERE deleted_at IS NULL;
