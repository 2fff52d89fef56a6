package dev.crownest.worker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Turns sandbox and command events into node-agent calls and reports what the node did. */
@SpringBootApplication(scanBasePackages = {"dev.crownest.worker", "dev.crownest.kit"})
public class ExecutionWorkerApplication {
    public static void main(String[] args) {
        SpringApplication.run(ExecutionWorkerApplication.class, args);
    }
}
