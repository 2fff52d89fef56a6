package dev.crownest.billing.stripe;

import dev.crownest.billing.ledger.CreditAlerts;
import dev.crownest.contracts.api.PaymentMethodView;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Records a tenant's payment method (one; a new one replaces it) and, in the same transaction, lifts its credit hold. */
@Component
class PaymentMethodBook {
    private final JdbcTemplate jdbc;
    private final CreditAlerts credit;
    private final Clock clock;

    PaymentMethodBook(JdbcTemplate jdbc, CreditAlerts credit, Clock clock) {
        this.jdbc = jdbc;
        this.credit = credit;
        this.clock = clock;
    }

    @Transactional
    PaymentMethodView record(String tenant, PaymentMethods.Attached attached, String actor) {
        Instant now = clock.instant();
        jdbc.update(
                """
                INSERT INTO payment_method (tenant_id, stripe_customer_id, stripe_payment_method_id, brand, last4, added_at, added_by)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (tenant_id) DO UPDATE SET stripe_customer_id = EXCLUDED.stripe_customer_id,
                    stripe_payment_method_id = EXCLUDED.stripe_payment_method_id, brand = EXCLUDED.brand,
                    last4 = EXCLUDED.last4, added_at = EXCLUDED.added_at, added_by = EXCLUDED.added_by""",
                tenant,
                attached.customerId(),
                attached.paymentMethodId(),
                attached.brand(),
                attached.last4(),
                Timestamp.from(now),
                actor);
        credit.check(List.of(tenant));
        return new PaymentMethodView(
                tenant, attached.customerId(), attached.paymentMethodId(), attached.brand(), attached.last4(), now);
    }
}
