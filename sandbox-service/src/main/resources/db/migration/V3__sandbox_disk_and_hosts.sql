-- The size of /workspace and the egress allowlist of network 'restricted', as the create asked.
ALTER TABLE sandbox_view ADD COLUMN disk_mb INTEGER NOT NULL DEFAULT 1024;
ALTER TABLE sandbox_view ADD COLUMN allowed_hosts JSONB NOT NULL DEFAULT '[]';
