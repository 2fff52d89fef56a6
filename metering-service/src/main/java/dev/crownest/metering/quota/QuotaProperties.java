package dev.crownest.metering.quota;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Plans and their default limits ({@code crownest.quotas.*}, application.yml lists the figures).
 *
 * @param defaultPlan  the plan of a tenant nobody assigned one
 * @param tenantPlans  plans assigned by configuration, e.g. the platform's own default tenant
 * @param plans        plan name → the limits of its tenant bucket
 */
@ConfigurationProperties("crownest.quotas")
public record QuotaProperties(
        @DefaultValue("free") String defaultPlan,
        @DefaultValue Map<String, String> tenantPlans,
        @DefaultValue Map<String, QuotaLimits> plans) {}
