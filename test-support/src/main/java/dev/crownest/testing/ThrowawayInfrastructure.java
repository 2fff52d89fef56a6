package dev.crownest.testing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * The property source behind {@link IntegrationTest}: made when a test's context is, so every
 * context gets a database and a consumer group of its own.
 */
public class ThrowawayInfrastructure implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(
            Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
        IntegrationTest test = TestContextAnnotationUtils.findMergedAnnotation(testClass, IntegrationTest.class);
        return test == null ? null : new Customizer(test.database(), test.access());
    }

    /** A record, so that equal declarations compare equal in Spring's context cache. */
    private record Customizer(String database, IntegrationTest.DatabaseAccess access) implements ContextCustomizer {

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
            Map<String, Object> properties = new LinkedHashMap<>();
            if (!database.isEmpty()) {
                String url = TestInfrastructure.pgUrl() + TestInfrastructure.createDatabase(database);
                switch (access) {
                    case JDBC -> {
                        properties.put("spring.datasource.url", url);
                        properties.put("spring.datasource.username", TestInfrastructure.pgUser());
                        properties.put("spring.datasource.password", TestInfrastructure.pgPassword());
                    }
                    case R2DBC -> {
                        properties.put("spring.r2dbc.url", url.replaceFirst("^jdbc:", "r2dbc:"));
                        properties.put("spring.r2dbc.username", TestInfrastructure.pgUser());
                        properties.put("spring.r2dbc.password", TestInfrastructure.pgPassword());
                        properties.put("spring.flyway.url", url);
                        properties.put("spring.flyway.user", TestInfrastructure.pgUser());
                        properties.put("spring.flyway.password", TestInfrastructure.pgPassword());
                    }
                }
            }
            properties.put("spring.kafka.bootstrap-servers", TestInfrastructure.kafka());
            properties.put("crownest.service-auth.secret", TestInfrastructure.SERVICE_SECRET);
            properties.put(
                    "spring.kafka.consumer.group-id", (database.isEmpty() ? "test_" : database) + UUID.randomUUID());
            context.getEnvironment()
                    .getPropertySources()
                    .addFirst(new MapPropertySource("CrowNest test infrastructure", properties));
        }
    }
}
