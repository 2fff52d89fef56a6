-- Pricing versions are published by the operator (POST /v1/pricing-versions) and never changed: a new price is
-- a new id. first_rated_at is set by the first batch rated with the version; from then on the database itself
-- refuses to change or delete it, whatever the caller.
ALTER TABLE pricing_version RENAME COLUMN effective_from TO published_at;
ALTER TABLE pricing_version ADD COLUMN published_by TEXT NOT NULL DEFAULT 'system';
ALTER TABLE pricing_version ADD COLUMN first_rated_at TIMESTAMPTZ;
UPDATE pricing_version p SET first_rated_at = now()
WHERE EXISTS (SELECT 1 FROM usage_hour u WHERE u.pricing_version = p.version);

CREATE FUNCTION pricing_version_immutable() RETURNS trigger AS $$
BEGIN
    IF OLD.first_rated_at IS NOT NULL AND (TG_OP = 'DELETE'
            OR NEW.usd_per_compute_unit_hour <> OLD.usd_per_compute_unit_hour
            OR NEW.vcpu_per_unit <> OLD.vcpu_per_unit
            OR NEW.memory_mb_per_unit <> OLD.memory_mb_per_unit
            OR NEW.version <> OLD.version) THEN
        RAISE EXCEPTION 'pricing version % has rated usage and cannot change', OLD.version;
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER pricing_version_immutable BEFORE UPDATE OR DELETE ON pricing_version
    FOR EACH ROW EXECUTE FUNCTION pricing_version_immutable();

-- A tenant's pins, in time: second s is rated at the pin with the greatest effective_from <= s. The first use
-- pins the configured default from second 0; each TenantPricingPinned adds one from the first second after it
-- (and after every second already metered, so a second never moves between versions: see PricingPins).
-- pinned_at is the event's time: an older or repeated event (replay, redelivery) adds nothing.
CREATE TABLE tenant_pricing_pin (
    tenant_id       TEXT        NOT NULL,
    effective_from  BIGINT      NOT NULL, -- epoch second
    pricing_version TEXT        NOT NULL REFERENCES pricing_version (version),
    pinned_at       TIMESTAMPTZ NOT NULL,
    pinned_by       TEXT        NOT NULL,
    PRIMARY KEY (tenant_id, effective_from)
);
INSERT INTO tenant_pricing_pin (tenant_id, effective_from, pricing_version, pinned_at, pinned_by)
SELECT tenant_id, 0, pricing_version, 'epoch', 'system' FROM tenant_pricing;
DROP TABLE tenant_pricing;

-- A sandbox-hour that spans a pin has a row per version: a second belongs to the one version in force at it.
ALTER TABLE usage_hour DROP CONSTRAINT usage_hour_pkey;
ALTER TABLE usage_hour ADD PRIMARY KEY (tenant_id, sandbox_id, hour, pricing_version);
