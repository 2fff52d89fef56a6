-- Operator credit notes on open invoices: each puts its amount back on the tenant's credit account
-- (a 'credit_note' ledger entry referencing the note); the invoice is never edited.
CREATE TABLE credit_note (
    id          TEXT            PRIMARY KEY,
    tenant_id   TEXT            NOT NULL,
    invoice_id  TEXT            NOT NULL REFERENCES invoice (id),
    amount_usd  NUMERIC(18, 10) NOT NULL CHECK (amount_usd > 0),
    reason      TEXT            NOT NULL,
    created_at  TIMESTAMPTZ     NOT NULL,
    created_by  TEXT            NOT NULL
);
CREATE INDEX credit_note_invoice ON credit_note (invoice_id);

ALTER TABLE credit_ledger DROP CONSTRAINT credit_ledger_kind_check;
ALTER TABLE credit_ledger ADD CONSTRAINT credit_ledger_kind_check
    CHECK (kind IN ('credit_grant', 'usage', 'credit_applied', 'credit_reversed', 'credit_note'));

-- Invoice numbers count per tenant (CN-<period>-<the tenant's sequence>), so two tenants have the same
-- numbers: unique per tenant, not across tenants (a second tenant's finalize failed on it).
ALTER TABLE invoice DROP CONSTRAINT invoice_number_key;
ALTER TABLE invoice ADD CONSTRAINT invoice_tenant_number_key UNIQUE (tenant_id, number);
