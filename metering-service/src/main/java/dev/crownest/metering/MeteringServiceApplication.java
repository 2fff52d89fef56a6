package dev.crownest.metering;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Per-second compute_unit_seconds from usage samples, priced against each tenant's pinned version. */
@SpringBootApplication(scanBasePackages = {"dev.crownest.metering", "dev.crownest.kit"})
@ConfigurationPropertiesScan
@EnableScheduling
public class MeteringServiceApplication {
    public static void main(String[] args) {
        SpringApplication.run(MeteringServiceApplication.class, args);
    }
}
