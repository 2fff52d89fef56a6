package dev.crownest.metering.quota;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crownest.contracts.api.ApiException;
import java.math.BigDecimal;
import java.util.function.Function;

/**
 * What a tenant admin may set: each limit it sends at most its plan's (a plan without that limit allows
 * any value), and on the tenant bucket no "no limit" (null) where the plan has one; on a project bucket
 * null leaves the project to its tenant's limits, which is within the plan. Above the plan is 403
 * {@code plan_limit_exceeded}; negative values are the 400 every caller gets. The operator is not bound
 * by plans.
 */
final class PlanCeilings {
    private PlanCeilings() {}

    /** The plan a check is against: its name (for the message) and its limits. */
    record Plan(String name, QuotaLimits limits) {}

    /**
     * @param requested    the limits after the change; only the fields in {@code body} are checked
     * @param tenantBucket whether the change is to the tenant's own bucket (else a project's)
     */
    static void check(Plan plan, JsonNode body, QuotaLimits requested, boolean tenantBucket) {
        new Field(body, plan, requested, tenantBucket)
                .check("maxConcurrentSandboxes", l -> decimal(l.maxConcurrentSandboxes()))
                .check("maxLifetimeMs", l -> decimal(l.maxLifetimeMs()))
                .check("rateComputeUnitsPerSecond", QuotaLimits::rateComputeUnitsPerSecond)
                .check("hardCapComputeUnitSeconds", QuotaLimits::hardCapComputeUnitSeconds)
                .check("hardCapAmountUsd", QuotaLimits::hardCapAmountUsd);
    }

    private record Field(JsonNode body, Plan plan, QuotaLimits requested, boolean tenantBucket) {
        Field check(String name, Function<QuotaLimits, BigDecimal> limit) {
            BigDecimal ceiling = limit.apply(plan.limits());
            BigDecimal value = limit.apply(requested);
            if (body.has(name) && ceiling != null && (value == null ? tenantBucket : value.compareTo(ceiling) > 0)) {
                throw refusal(name, ceiling, value);
            }
            return this;
        }

        private ApiException refusal(String name, BigDecimal ceiling, BigDecimal value) {
            return ApiException.forbidden(
                    "plan_limit_exceeded",
                    name + " may be at most " + ceiling.toPlainString() + " on plan " + plan.name()
                            + (value == null ? " (null would mean no limit)" : ""));
        }
    }

    private static BigDecimal decimal(Number value) {
        return value == null ? null : new BigDecimal(value.toString());
    }
}
