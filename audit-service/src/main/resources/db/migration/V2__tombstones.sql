-- Tombstones: what was killed, expired, revoked or voided, by whom, when and why. Each one is
-- derived from an audit_event row in the same transaction and points at it by (tenant_id, seq),
-- so the chain's hash covers the facts a tombstone repeats.
CREATE TABLE audit_tombstone (
    id            BIGSERIAL PRIMARY KEY,
    tenant_id     TEXT        NOT NULL,
    audit_seq     BIGINT      NOT NULL,
    event_id      UUID        NOT NULL UNIQUE,
    action        TEXT        NOT NULL,
    resource_id   TEXT        NOT NULL,
    resource_kind TEXT        NOT NULL,
    actor         TEXT        NOT NULL,
    occurred_at   TIMESTAMPTZ NOT NULL,
    reason        TEXT,
    FOREIGN KEY (tenant_id, audit_seq) REFERENCES audit_event (tenant_id, seq)
);
CREATE INDEX audit_tombstone_resource ON audit_tombstone (tenant_id, resource_id);

-- The same guard as audit_event: defence in depth behind the writer role's missing privileges.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_tombstone FROM PUBLIC;
CREATE TRIGGER audit_tombstone_append_only BEFORE UPDATE OR DELETE ON audit_tombstone
    FOR EACH ROW EXECUTE FUNCTION audit_event_is_append_only();

-- Filters of the query API that the two existing indexes do not serve.
CREATE INDEX audit_event_actor ON audit_event (tenant_id, actor, seq);
CREATE INDEX audit_event_action ON audit_event (tenant_id, action, seq);
