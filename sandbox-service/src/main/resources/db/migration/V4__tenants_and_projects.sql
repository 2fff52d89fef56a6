-- Tenants, their admin sessions and projects (identity read models, written with their events).
-- Names are unique per scope: the controllers check first, the indexes are the backstop.

CREATE TABLE tenant_view (
    id          VARCHAR(128) PRIMARY KEY,
    name        VARCHAR(100) NOT NULL,
    plan        VARCHAR(64)  NOT NULL,
    created_by  VARCHAR(128),
    created_at  TIMESTAMPTZ  NOT NULL
);
CREATE UNIQUE INDEX tenant_view_name ON tenant_view (lower(name));

CREATE TABLE tenant_admin_session_view (
    id          VARCHAR(64)  PRIMARY KEY,
    tenant_id   VARCHAR(128) NOT NULL,
    token_hash  CHAR(64)     NOT NULL,
    status      VARCHAR(16)  NOT NULL,
    created_by  VARCHAR(128),
    created_at  TIMESTAMPTZ  NOT NULL,
    revoked_at  TIMESTAMPTZ
);
CREATE INDEX tenant_admin_session_view_tenant ON tenant_admin_session_view (tenant_id);

CREATE TABLE project_view (
    id          VARCHAR(128) PRIMARY KEY,
    tenant_id   VARCHAR(128) NOT NULL,
    name        VARCHAR(100) NOT NULL,
    created_by  VARCHAR(128),
    created_at  TIMESTAMPTZ  NOT NULL
);
CREATE UNIQUE INDEX project_view_tenant_name ON project_view (tenant_id, lower(name));
