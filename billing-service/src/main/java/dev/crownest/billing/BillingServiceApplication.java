package dev.crownest.billing;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Rated usage into each tenant's credit ledger. Invoices and Stripe sync build on this ledger. */
@SpringBootApplication(scanBasePackages = {"dev.crownest.billing", "dev.crownest.kit"})
public class BillingServiceApplication {
    public static void main(String[] args) {
        SpringApplication.run(BillingServiceApplication.class, args);
    }
}
