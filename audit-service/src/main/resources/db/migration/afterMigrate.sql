-- Runs after every migrate, i.e. at every start: the writer role's password follows
-- crownest.audit.writer.password (env CROWNEST_AUDIT_WRITER_PASSWORD), so rotating it is a
-- restart with the new value. The owner, which Flyway logs in as, sets it.
ALTER ROLE ${audit_writer_role} WITH LOGIN PASSWORD '${audit_writer_password}';
