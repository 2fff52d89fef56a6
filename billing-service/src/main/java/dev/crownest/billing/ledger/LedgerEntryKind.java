package dev.crownest.billing.ledger;

/**
 * The kinds of credit_ledger entries. The credit account is grants minus credit applied to invoices
 * plus reversals of voided invoices; usage entries record charges (negative), which are billed
 * through invoices and reach the credit account only as credit applied at finalize.
 */
public enum LedgerEntryKind {
    credit_grant, usage, credit_applied, credit_reversed;

    /** SQL list of the kinds whose sum is the credit remaining. */
    public static final String CREDIT_KINDS_SQL = "('credit_grant', 'credit_applied', 'credit_reversed')";
}
