package dev.crownest.kit.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.security.InternalHeaders;
import dev.crownest.contracts.security.ServiceTokens;
import java.time.Clock;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.client.RestClientCustomizer;
import org.springframework.boot.web.reactive.function.client.WebClientCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Service-to-service authentication for every service that has the kit on its class path (an
 * auto-configuration, so no service can forget it): the {@link ServiceAuthFilter} in front of every
 * servlet service, and the credential on every call made with Spring's {@code RestClient.Builder} or
 * {@code WebClient.Builder} (the gateway's calls included), for the hosts {@link ServiceCredential#isFor}
 * allows.
 */
@AutoConfiguration
@EnableConfigurationProperties(ServiceAuthProperties.class)
public class ServiceAuthConfiguration {

    @Bean
    ServiceTokens serviceTokens(ServiceAuthProperties properties) {
        if (properties.secret() == null || properties.secret().isBlank()) {
            throw new IllegalStateException("crownest.service-auth.secret (env CROWNEST_SERVICE_AUTH_SECRET) is not"
                    + " set: internal services accept only calls signed with the stack's service secret");
        }
        // Real time, never a service's own (possibly fixed) Clock bean: the token is checked elsewhere.
        return new ServiceTokens(properties.secret(), Clock.systemUTC());
    }

    @Bean
    ServiceCredential serviceCredential(
            ServiceTokens tokens, ServiceAuthProperties properties, @Value("${spring.application.name}") String name) {
        return new ServiceCredential(
                tokens, name, properties.tokenTtl(), Clock.systemUTC(), properties.internalHosts());
    }

    /** The servlet services' door, before every other filter. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    static class Inbound {
        @Bean
        FilterRegistrationBean<ServiceAuthFilter> serviceAuthFilter(ServiceTokens tokens, ObjectMapper json) {
            FilterRegistrationBean<ServiceAuthFilter> registration =
                    new FilterRegistrationBean<>(new ServiceAuthFilter(tokens, json));
            registration.addUrlPatterns("/*");
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
            return registration;
        }
    }

    /** Blocking internal calls (sandbox-service to metering, audit to sandbox-service). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(RestClient.class)
    static class BlockingCalls {
        @Bean
        RestClientCustomizer serviceCredentialOnRestClients(ServiceCredential credential) {
            return builder -> builder.requestInterceptor((request, body, execution) -> {
                if (credential.isFor(request.getURI())) {
                    request.getHeaders().set(InternalHeaders.SERVICE_TOKEN, credential.token());
                }
                return execution.execute(request, body);
            });
        }
    }

    /** Reactive internal calls: the gateway's, and NodeClient's in the gateway and the worker. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(WebClient.class)
    static class ReactiveCalls {
        @Bean
        WebClientCustomizer serviceCredentialOnWebClients(ServiceCredential credential) {
            return builder -> builder.filter(new WebClientCredential(credential));
        }
    }
}
