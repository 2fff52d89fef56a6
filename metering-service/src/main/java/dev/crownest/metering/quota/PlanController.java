package dev.crownest.metering.quota;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.kit.caller.Caller;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /internal/plans}: the configured plans and their limits. sandbox-service asks before it records a
 * tenant's plan, so an unknown plan is a 400 with nothing created.
 */
@RestController
class PlanController {
    private final QuotaBook quotas;
    private final QuotaProperties properties;

    PlanController(QuotaBook quotas, QuotaProperties properties) {
        this.quotas = quotas;
        this.properties = properties;
    }

    @GetMapping("/internal/plans")
    Map<String, QuotaLimits> plans(@Caller.NoTenant Caller caller) {
        return new TreeMap<>(properties.plans());
    }

    /** 200 with the plan's limits; 400 {@code invalid_plan} for a plan not configured. */
    @GetMapping("/internal/plans/{plan}")
    QuotaLimits plan(@Caller.NoTenant Caller caller, @PathVariable String plan) {
        if (!quotas.isPlan(plan)) {
            throw ApiException.badRequest(
                    "invalid_plan",
                    "plan must be one of the configured plans: " + new TreeMap<>(properties.plans()).keySet());
        }
        return quotas.planLimits(plan);
    }
}
