package dev.crownest.sdk;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** Tests against a real stack (skipped without one): its client, and a sandbox of the class's own. */
@Tag("stack")
@Timeout(300)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OnStack {

    Stack stack;
    CrowNest client;
    Sandbox sandbox;

    @BeforeAll
    void createSandbox() {
        stack = Stack.fromEnvFile();
        client = stack.client();
        sandbox = client.sandboxes()
                .create(new CreateSandboxOptions().template("base").ttl(Duration.ofMinutes(10)));
    }

    @AfterAll
    void killSandbox() {
        if (sandbox != null) {
            sandbox.kill();
        }
    }
}
