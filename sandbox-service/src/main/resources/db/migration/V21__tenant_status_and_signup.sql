-- Tenants have a status (suspended by the operator) and, when they signed up themselves, an email.
-- An email is unique in any case: the controller checks first, this index decides between two
-- sign-ups at once (the projection runs in the create's transaction, so the loser leaves nothing).
ALTER TABLE tenant_view ADD COLUMN status VARCHAR(16) NOT NULL DEFAULT 'active';
ALTER TABLE tenant_view ADD COLUMN email VARCHAR(254);
CREATE UNIQUE INDEX tenant_view_email ON tenant_view (lower(email)) WHERE email IS NOT NULL;

-- The operator's switch for POST /v1/signup; no row: crownest.signup.enabled decides.
CREATE TABLE signup_setting (
    id          BOOLEAN      PRIMARY KEY DEFAULT TRUE CHECK (id),
    enabled     BOOLEAN      NOT NULL,
    updated_by  VARCHAR(128) NOT NULL,
    updated_at  TIMESTAMPTZ  NOT NULL
);
