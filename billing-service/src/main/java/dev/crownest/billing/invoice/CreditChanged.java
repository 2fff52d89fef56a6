package dev.crownest.billing.invoice;

/**
 * Published (a Spring application event, handled synchronously) in the transaction in which an invoice
 * moved a tenant's credit: credit applied at finalize, reversed by a void, given back by a credit note.
 * The ledger's alerts and credit holds re-check the tenant there, without the invoice package knowing them.
 */
public record CreditChanged(String tenantId) {}
