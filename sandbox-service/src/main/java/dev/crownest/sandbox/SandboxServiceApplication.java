package dev.crownest.sandbox;

import dev.crownest.kit.ApiErrorAdvice;
import dev.crownest.kit.ClockConfiguration;
import dev.crownest.kit.KafkaJsonConfiguration;
import dev.crownest.kit.caller.CallerConfiguration;
import dev.crownest.kit.seal.EnvSealConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The control plane's event-sourced core: Sandbox, Command and ApiKey aggregates on an Axon event
 * store in PostgreSQL, JDBC read models, and the Kafka publisher that treats the event store as its outbox.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
@Import({
    ApiErrorAdvice.class,
    CallerConfiguration.class,
    ClockConfiguration.class,
    KafkaJsonConfiguration.class,
    EnvSealConfiguration.class
})
public class SandboxServiceApplication {
    public static void main(String[] args) {
        // Self-hosted: Axon's update checker must not phone home (AXONIQ_UPDATE_CHECKER_DISABLED=false re-enables it).
        if (System.getenv("AXONIQ_UPDATE_CHECKER_DISABLED") == null) {
            System.setProperty("axoniq.update-checker.disabled", "true");
        }
        SpringApplication.run(SandboxServiceApplication.class, args);
    }
}
