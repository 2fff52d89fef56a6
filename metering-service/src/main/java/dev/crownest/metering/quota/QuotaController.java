package dev.crownest.metering.quota;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.QuotaEvent;
import dev.crownest.contracts.event.Topics;
import dev.crownest.kit.caller.Caller;
import dev.crownest.kit.outbox.EventOutbox;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /internal/quotas}: a bucket's limits and what it uses now (GET), a change by the operator or,
 * within its plan's limits, by the tenant's admin (PUT), and sandbox-service's admission of a create
 * (POST/DELETE admissions). The plan itself is the Tenant aggregate's ({@link TenantPlans}).
 */
@RestController
class QuotaController {
    /** The platform operator's actor; any other caller (a tenant admin's session) sets limits within its plan. */
    private static final String OPERATOR = "operator";

    private static final Set<String> FIELDS = Set.of(
            "plan",
            "maxConcurrentSandboxes",
            "maxLifetimeMs",
            "rateComputeUnitsPerSecond",
            "hardCapComputeUnitSeconds",
            "hardCapAmountUsd");

    private final QuotaBook quotas;
    private final Admissions admissions;
    private final EventOutbox outbox;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;

    QuotaController(
            QuotaBook quotas,
            Admissions admissions,
            EventOutbox outbox,
            JdbcTemplate jdbc,
            TransactionTemplate tx,
            Clock clock) {
        this.quotas = quotas;
        this.admissions = admissions;
        this.outbox = outbox;
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
    }

    @GetMapping("/internal/quotas")
    Map<String, Object> get(Caller caller, @RequestParam(required = false) String projectId) {
        return view(caller.tenant(), caller.projectOr(projectId));
    }

    /** Fields absent from the body keep their value; a field set to null removes that limit. */
    @PutMapping("/internal/quotas")
    Map<String, Object> put(
            Caller caller, @RequestParam(required = false) String projectId, @RequestBody JsonNode body) {
        String tenantId = caller.tenant();
        String project = Caller.blankToNull(projectId);
        String bucket = project == null ? QuotaBook.TENANT_BUCKET : project;
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("invalid_quota", "the body must be a JSON object of quota fields");
        }
        body.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                throw ApiException.badRequest(
                        "unknown_quota_field", "unknown quota field '" + f + "'; known: " + FIELDS);
            }
        });
        if (body.has("plan")) {
            throw ApiException.badRequest(
                    "plan_not_a_quota",
                    "a tenant's plan is changed by the operator with PUT /v1/tenants/{id}/plan, not with quotas");
        }
        String who = caller.actorOr("operator");
        tx.executeWithoutResult(status -> {
            QuotaLimits current = quotas.limits(tenantId, bucket);
            QuotaLimits next = new QuotaLimits(
                    integer(body, "maxConcurrentSandboxes", current.maxConcurrentSandboxes()),
                    longValue(body, "maxLifetimeMs", current.maxLifetimeMs()),
                    decimal(body, "rateComputeUnitsPerSecond", current.rateComputeUnitsPerSecond()),
                    decimal(body, "hardCapComputeUnitSeconds", current.hardCapComputeUnitSeconds()),
                    decimal(body, "hardCapAmountUsd", current.hardCapAmountUsd()));
            if (!OPERATOR.equals(caller.actor())) {
                String plan = quotas.plan(tenantId);
                PlanCeilings.check(new PlanCeilings.Plan(plan, quotas.planLimits(plan)), body, next, project == null);
            }
            if (project != null || body.size() > 0) {
                quotas.store(tenantId, bucket, next, who);
            }
            QuotaEvent changed = new QuotaEvent.QuotaChanged(
                    UUID.randomUUID(),
                    tenantId,
                    clock.instant(),
                    1,
                    project,
                    quotas.plan(tenantId),
                    next.maxConcurrentSandboxes(),
                    next.maxLifetimeMs(),
                    next.rateComputeUnitsPerSecond(),
                    next.hardCapComputeUnitSeconds(),
                    next.hardCapAmountUsd(),
                    who);
            outbox.stage(Topics.QUOTA_EVENTS, List.of(changed), PlatformEvent::tenantId);
        });
        // Another thread may have cached the old limits while the change was uncommitted.
        quotas.forget(tenantId);
        return view(tenantId, project);
    }

    @PostMapping("/internal/quotas/admissions")
    ResponseEntity<Map<String, Object>> admit(Caller caller, @RequestBody AdmissionRequest request) {
        admissions.admit(caller.tenant(), request);
        return ResponseEntity.ok(Map.of("admitted", true, "sandboxId", request.sandboxId()));
    }

    @DeleteMapping("/internal/quotas/admissions/{sandboxId}")
    ResponseEntity<Void> release(Caller caller, @PathVariable String sandboxId) {
        admissions.release(caller.tenant(), sandboxId);
        return ResponseEntity.noContent().build();
    }

    private Map<String, Object> view(String tenantId, String projectId) {
        String bucket = projectId == null ? QuotaBook.TENANT_BUCKET : projectId;
        QuotaLimits limits = quotas.limits(tenantId, bucket);
        LocalDate period = QuotaPeriod.of(clock.instant());
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("tenantId", tenantId);
        view.put("projectId", projectId);
        view.put("plan", quotas.plan(tenantId));
        view.put("maxConcurrentSandboxes", limits.maxConcurrentSandboxes());
        view.put("maxLifetimeMs", limits.maxLifetimeMs());
        view.put("rateComputeUnitsPerSecond", limits.rateComputeUnitsPerSecond());
        view.put("hardCapComputeUnitSeconds", limits.hardCapComputeUnitSeconds());
        view.put("hardCapAmountUsd", limits.hardCapAmountUsd());
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("period", period.toString());
        List<Map<String, Object>> spent = jdbc.queryForList(
                "SELECT compute_unit_seconds, amount_usd FROM bucket_usage WHERE tenant_id = ? AND bucket = ? AND period = ?",
                tenantId,
                bucket,
                Date.valueOf(period));
        usage.put(
                "computeUnitSeconds",
                spent.isEmpty() ? BigDecimal.ZERO : spent.get(0).get("compute_unit_seconds"));
        usage.put("amountUsd", spent.isEmpty() ? BigDecimal.ZERO : spent.get(0).get("amount_usd"));
        Map<String, Object> active =
                jdbc.queryForMap("""
                SELECT count(*) AS sandboxes, coalesce(sum(compute_units) FILTER (WHERE NOT paused), 0) AS units FROM sandbox_allocation
                WHERE tenant_id = ? AND (?::text IS NULL OR project_id = ?) AND ended_at IS NULL AND (paused OR expires_at > ?)""", tenantId, projectId, projectId, Timestamp.from(clock.instant()));
        usage.put("concurrentSandboxes", active.get("sandboxes"));
        usage.put("computeUnitsInUse", active.get("units"));
        view.put("usage", usage);
        return view;
    }

    private static Integer integer(JsonNode body, String field, Integer current) {
        Long value = longValue(body, field, current == null ? null : current.longValue());
        if (value != null && value > Integer.MAX_VALUE) {
            throw ApiException.badRequest("invalid_quota", field + " is too large");
        }
        return value == null ? null : value.intValue();
    }

    private static Long longValue(JsonNode body, String field, Long current) {
        if (!body.has(field)) {
            return current;
        }
        JsonNode value = body.get(field);
        if (value.isNull()) {
            return null;
        }
        if (!value.canConvertToLong() || !value.isIntegralNumber() || value.asLong() < 0) {
            throw ApiException.badRequest("invalid_quota", field + " must be a whole number >= 0 or null");
        }
        return value.asLong();
    }

    private static BigDecimal decimal(JsonNode body, String field, BigDecimal current) {
        if (!body.has(field)) {
            return current;
        }
        JsonNode value = body.get(field);
        if (value.isNull()) {
            return null;
        }
        if (!value.isNumber()
                || value.decimalValue().signum() < 0
                || value.decimalValue().precision() - value.decimalValue().scale() > 8) {
            throw ApiException.badRequest("invalid_quota", field + " must be a number >= 0 (below 10^8) or null");
        }
        return value.decimalValue();
    }
}
