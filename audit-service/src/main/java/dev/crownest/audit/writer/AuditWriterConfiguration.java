package dev.crownest.audit.writer;

import com.zaxxer.hikari.HikariDataSource;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.autoconfigure.flyway.FlywayConfigurationCustomizer;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Two database identities. Flyway migrates as the owner ({@code spring.flyway.user/password}, which
 * application.yml takes from {@code spring.datasource.username/password}, i.e. the
 * {@code SPRING_DATASOURCE_*} env every service gets); everything else — the consumer, the
 * queries, verify, export — goes through the application DataSource built here, logged in as the
 * writer role, which the database itself forbids to UPDATE or DELETE audit rows.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AuditWriterProperties.class)
class AuditWriterConfiguration {

    /** Same URL and pool settings as {@code spring.datasource.*}, but the writer's credentials. */
    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(DataSourceProperties owner, AuditWriterProperties writer) {
        return owner.initializeDataSourceBuilder()
                .type(HikariDataSource.class)
                .username(writer.username())
                .password(writer.password())
                .build();
    }

    /** The writer's name and password for V3__audit_writer_role.sql and afterMigrate.sql. */
    @Bean
    FlywayConfigurationCustomizer auditWriterPlaceholders(AuditWriterProperties writer) {
        return configuration -> {
            Map<String, String> placeholders = new HashMap<>(configuration.getPlaceholders());
            placeholders.put("audit_writer_role", writer.username());
            placeholders.put("audit_writer_password", writer.passwordLiteral());
            configuration.placeholders(placeholders);
        };
    }
}
