package dev.crownest.metering;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Per-second compute_unit_seconds from usage samples, priced against each tenant's pinned version. */
@SpringBootApplication(scanBasePackages = {"dev.crownest.metering", "dev.crownest.kit"})
public class MeteringServiceApplication {
    public static void main(String[] args) {
        SpringApplication.run(MeteringServiceApplication.class, args);
    }
}
