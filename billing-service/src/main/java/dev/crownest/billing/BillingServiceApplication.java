package dev.crownest.billing;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Rated usage into each tenant's credit ledger and invoices; the outbox publisher and the Stripe
 * sync run as scheduled jobs.
 */
@SpringBootApplication(scanBasePackages = {"dev.crownest.billing", "dev.crownest.kit"})
@EnableScheduling
public class BillingServiceApplication {
    public static void main(String[] args) {
        SpringApplication.run(BillingServiceApplication.class, args);
    }
}
