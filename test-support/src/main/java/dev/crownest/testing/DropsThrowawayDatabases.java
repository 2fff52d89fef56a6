package dev.crownest.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Drops the test's throwaway databases after the class. {@link IntegrationTest} declares it before
 * {@code @SpringBootTest} (with {@code @DirtiesContext}) so it runs after Spring closed the context
 * and its pool.
 */
public class DropsThrowawayDatabases implements AfterAllCallback {
    @Override
    public void afterAll(ExtensionContext context) {
        TestInfrastructure.dropCreatedDatabases();
    }
}
