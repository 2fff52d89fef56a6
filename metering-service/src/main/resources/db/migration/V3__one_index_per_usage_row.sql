-- Every metered second used to update two btrees (the primary key and a tenant-time index). A
-- sandbox belongs to one tenant, so (tenant, sandbox, second) is unique exactly when
-- (sandbox, second) is: one btree now dedupes and serves tenant and sandbox queries, and a BRIN
-- index (rows arrive in time order; nearly free to maintain) narrows time ranges.
ALTER TABLE usage_second DROP CONSTRAINT usage_second_pkey;
DROP INDEX usage_second_tenant_time;
ALTER TABLE usage_second ADD PRIMARY KEY (tenant_id, sandbox_id, second);
CREATE INDEX usage_second_time ON usage_second USING brin (second);
