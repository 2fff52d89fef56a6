package dev.crownest.metering.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.api.Page;
import dev.crownest.contracts.api.PricingVersionView;
import dev.crownest.contracts.api.TenantPricingView;
import dev.crownest.kit.caller.Caller;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /internal/pricing-versions}: the operator publishes and lists price lists (the gateway lets only the
 * operator's session through); sandbox-service checks a version here before it records a tenant's pin, and reads
 * {@code /internal/tenants/{id}/pricing} to answer once metering follows the pin.
 */
@RestController
class PricingController {
    private static final Set<String> FIELDS = Set.of("id", "usdPerComputeUnitHour", "vcpuPerUnit", "memoryMbPerUnit");
    /** A version's id: it names export rows and invoice lines, and is a path segment. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final PricingCatalog catalog;
    private final PricingPins pins;
    private final String defaultVersion;

    PricingController(
            PricingCatalog catalog,
            PricingPins pins,
            @Value("${crownest.pricing.default-version}") String defaultVersion) {
        this.catalog = catalog;
        this.pins = pins;
        this.defaultVersion = defaultVersion;
    }

    /** 201 with the version; 400 {@code invalid_pricing_version} or {@code invalid_price}; 409 {@code pricing_version_exists}. */
    @PostMapping("/internal/pricing-versions")
    ResponseEntity<PricingVersionView> publish(@Caller.NoTenant Caller caller, @RequestBody JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest(
                    "invalid_pricing_version", "the body must be a JSON object: {\"id\", \"usdPerComputeUnitHour\"}");
        }
        body.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                throw ApiException.badRequest("invalid_pricing_version", "unknown field '" + f + "'; known: " + FIELDS);
            }
        });
        JsonNode id = body.path("id");
        if (!id.isTextual() || !ID.matcher(id.asText()).matches()) {
            throw ApiException.badRequest(
                    "invalid_pricing_version",
                    "id must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        PricingVersion version = new PricingVersion(
                id.asText(),
                decimal(body, "usdPerComputeUnitHour", null, 10, 8, true),
                decimal(body, "vcpuPerUnit", BigDecimal.ONE, 6, 4, false),
                decimal(body, "memoryMbPerUnit", BigDecimal.valueOf(2048), 10, 2, false));
        return ResponseEntity.status(HttpStatus.CREATED).body(catalog.publish(version, caller.actorOrUnknown()));
    }

    @GetMapping("/internal/pricing-versions")
    Page<PricingVersionView> list(@Caller.NoTenant Caller caller) {
        return new Page<>(catalog.list(), null);
    }

    /** 200 with the version, 404 {@code pricing_version_not_found}. */
    @GetMapping("/internal/pricing-versions/{id}")
    PricingVersionView get(@Caller.NoTenant Caller caller, @PathVariable String id) {
        return catalog.view(id)
                .orElseThrow(() -> ApiException.notFound("pricing_version_not_found", "no pricing version " + id));
    }

    /** The tenant's latest pin; a tenant never pinned is on the default from the start. */
    @GetMapping("/internal/tenants/{tenantId}/pricing")
    TenantPricingView pin(@Caller.NoTenant Caller caller, @PathVariable String tenantId) {
        return pins.latest(tenantId).orElseGet(() -> new TenantPricingView(tenantId, defaultVersion, Instant.EPOCH));
    }

    /**
     * A JSON number, at least 0 ({@code price}) or above 0, within the column's digits; {@code fallback} when
     * absent (null: required).
     */
    private static BigDecimal decimal(
            JsonNode body, String field, BigDecimal fallback, int integerDigits, int scale, boolean price) {
        JsonNode value = body.get(field);
        if (value == null && fallback != null) {
            return fallback;
        }
        String rule = field + " must be a JSON number " + (price ? ">= 0" : "> 0") + " below 10^" + integerDigits
                + " with at most " + scale + " decimal places";
        if (value == null || !value.isNumber()) {
            throw ApiException.badRequest("invalid_price", rule);
        }
        BigDecimal number = value.decimalValue().stripTrailingZeros();
        if ((price ? number.signum() < 0 : number.signum() <= 0)
                || number.scale() > scale
                || number.precision() - number.scale() > integerDigits) {
            throw ApiException.badRequest("invalid_price", rule);
        }
        return number.scale() < 0 ? number.setScale(0) : number;
    }
}
