-- A tenant's plan follows the Tenant aggregate's events (TenantCreated, TenantPlanChanged on key-events).
-- planned_at is the applied event's time: an older or repeated event (a replay, a redelivery) changes nothing,
-- so it can never wipe the limits a tenant admin or the operator set since.
ALTER TABLE tenant_plan ADD COLUMN planned_at TIMESTAMPTZ;
