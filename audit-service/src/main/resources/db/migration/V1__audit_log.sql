-- The audit log: append-only, hash-chained per tenant.
CREATE TABLE audit_event (
    id           BIGSERIAL PRIMARY KEY,
    tenant_id    TEXT        NOT NULL,
    seq          BIGINT      NOT NULL,
    event_id     UUID        NOT NULL UNIQUE,
    action       TEXT        NOT NULL,
    resource_id  TEXT        NOT NULL,
    actor        TEXT        NOT NULL,
    occurred_at  TIMESTAMPTZ NOT NULL,
    recorded_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    payload      JSONB       NOT NULL,
    prev_hash    CHAR(64)    NOT NULL,
    hash         CHAR(64)    NOT NULL,
    UNIQUE (tenant_id, seq)
);
CREATE INDEX audit_event_resource ON audit_event (tenant_id, resource_id);
CREATE INDEX audit_event_time ON audit_event (tenant_id, occurred_at);

-- The head of each tenant's chain, locked while appending so concurrent appends never fork it.
CREATE TABLE audit_chain_head (
    tenant_id TEXT PRIMARY KEY,
    seq       BIGINT   NOT NULL,
    hash      CHAR(64) NOT NULL
);

-- Append-only: nobody but the owner may write, and even the owner cannot edit or delete rows
-- without first dropping this trigger (verify catches an edit made that way).
REVOKE UPDATE, DELETE, TRUNCATE ON audit_event FROM PUBLIC;
CREATE FUNCTION audit_event_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_event is append-only';
END $$;
CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_is_append_only();
