package dev.crownest.billing.ledger;

import java.math.BigDecimal;

/**
 * A tenant's prepaid credit as the alerts and the stop-spend rule see it: what was ever granted, what is
 * available (the credit account less the unbilled usage on draft invoices) and whether it has a payment
 * method.
 */
record CreditBalance(String tenantId, BigDecimal grantedUsd, BigDecimal availableUsd, boolean paymentMethod) {

    /** Granted credit once: tenants never granted any are billed by invoice and are never warned or held. */
    boolean onCredit() {
        return grantedUsd.signum() > 0;
    }

    boolean exhausted() {
        return availableUsd.signum() <= 0;
    }
}
