-- credits.low is told per level reached (warning at 80 % of the granted credit used, exhausted at 100 %),
-- once per fall: a tenant's row says the highest level told since its credit was last above the warning.
ALTER TABLE credit_alert ADD COLUMN level TEXT NOT NULL DEFAULT 'warning' CHECK (level IN ('warning', 'exhausted'));

-- A tenant held for credits: granted credit, none available, no payment method. While the row exists,
-- sandbox-service keeps its sandboxes paused and refuses its creates (CreditsExhausted / CreditsRestored).
CREATE TABLE credit_hold (
    tenant_id   TEXT PRIMARY KEY,
    held_since  TIMESTAMPTZ     NOT NULL,
    available_usd NUMERIC(18, 10) NOT NULL
);

-- The tenant's payment method at Stripe (one; a new one replaces it). Its presence lifts the credit stop.
CREATE TABLE payment_method (
    tenant_id                 TEXT PRIMARY KEY,
    stripe_customer_id        TEXT        NOT NULL,
    stripe_payment_method_id  TEXT        NOT NULL,
    brand                     TEXT,
    last4                     TEXT,
    added_at                  TIMESTAMPTZ NOT NULL,
    added_by                  TEXT        NOT NULL
);
