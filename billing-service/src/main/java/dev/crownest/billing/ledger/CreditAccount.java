package dev.crownest.billing.ledger;

import java.math.BigDecimal;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The credit account inside credit_ledger: grants (+), credit applied to invoices at finalize (−),
 * reversals of voided invoices (+) and credit notes (+); its sum is the credit remaining. The ledger's usage entries (−)
 * record charges, which are billed through invoices and reach the credit only as credit applied.
 */
public final class CreditAccount {
    /** SQL list of the entry kinds whose sum is the credit remaining. */
    public static final String KINDS_SQL = "('credit_grant', 'credit_applied', 'credit_reversed', 'credit_note')";

    private CreditAccount() {}

    /** The tenant's credit remaining: the sum of its credit account's entries. */
    public static BigDecimal remaining(JdbcTemplate jdbc, String tenant) {
        return jdbc.queryForObject(
                "SELECT coalesce(sum(amount_usd), 0) FROM credit_ledger WHERE tenant_id = ? AND kind IN " + KINDS_SQL,
                BigDecimal.class,
                tenant);
    }
}
