-- The role the running service writes through: it may read and append, never edit or delete.
-- Flyway runs this as the owner; the name comes from a placeholder that AuditWriterConfiguration
-- sets from crownest.audit.writer.username. Its password is set by afterMigrate.sql, on every start.
-- Roles are cluster-wide and several databases (tests) share one cluster: create it only if it
-- is missing, and tolerate another database's migration creating it at the same moment.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${audit_writer_role}') THEN
        CREATE ROLE ${audit_writer_role} LOGIN;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;
END $$;
-- A role that already existed may have been given more: take it back.
ALTER ROLE ${audit_writer_role} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;

REVOKE ALL ON audit_event, audit_tombstone, audit_chain_head FROM ${audit_writer_role};
GRANT SELECT, INSERT ON audit_event, audit_tombstone TO ${audit_writer_role};
-- The head is bookkeeping, not a record: an edit to it only makes the next append chain from a
-- hash that verify rejects. No DELETE, though.
GRANT SELECT, INSERT, UPDATE ON audit_chain_head TO ${audit_writer_role};
GRANT USAGE ON SEQUENCE audit_event_id_seq, audit_tombstone_id_seq TO ${audit_writer_role};
