package dev.crownest.audit;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The append-only, hash-chained audit log of every platform event. */
@SpringBootApplication(scanBasePackages = {"dev.crownest.audit", "dev.crownest.kit"})
public class AuditServiceApplication {
    public static void main(String[] args) {
        SpringApplication.run(AuditServiceApplication.class, args);
    }
}
