package dev.crownest.gateway;

import dev.crownest.kit.seal.EnvSealConfiguration;
import java.time.Clock;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The public REST edge of CrowNest: authenticates keys, checks scopes, routes to the services, streams output. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
// seals env values of the runs it makes on nodes itself (CROWNEST_SEALING_KEY)
@Import(EnvSealConfiguration.class)
public class GatewayApplication {

    public static void main(String[] args) {
        SpringApplication.run(GatewayApplication.class, args);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
