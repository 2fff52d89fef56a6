package dev.crownest.node;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** One per node: runs gVisor sandboxes with runsc and reports their seconds. */
@SpringBootApplication(scanBasePackages = {"dev.crownest.node", "dev.crownest.kit"})
@ConfigurationPropertiesScan
@EnableScheduling
public class NodeAgentApplication {
    public static void main(String[] args) {
        SpringApplication.run(NodeAgentApplication.class, args);
    }
}
