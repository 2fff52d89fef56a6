package dev.crownest.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ContextCustomizerFactories;

/**
 * A service started whole on a random port against the real Kafka and PostgreSQL of
 * {@link TestInfrastructure}: its own throwaway database (when {@link #database()} names one), the
 * broker, and a consumer group of its own so the test reads every record it publishes. The context
 * is closed after the class and its databases dropped after that ({@link DropsThrowawayDatabases}
 * is declared first so that it runs last). What a test configures beyond this stays in its own
 * {@code @DynamicPropertySource}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(DropsThrowawayDatabases.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@ContextCustomizerFactories(ThrowawayInfrastructure.class)
public @interface IntegrationTest {

    /** Prefix of the throwaway database's name, e.g. {@code quota_test_}; empty for a service without one. */
    String database() default "";

    /** How the service reaches its database. */
    DatabaseAccess access() default DatabaseAccess.JDBC;

    /** The Spring properties a service reads its database from. */
    enum DatabaseAccess {
        /** A JDBC {@code DataSource} ({@code spring.datasource.*}), which Flyway also uses. */
        JDBC,
        /** R2DBC ({@code spring.r2dbc.*}), with Flyway migrating over JDBC ({@code spring.flyway.*}). */
        R2DBC
    }
}
