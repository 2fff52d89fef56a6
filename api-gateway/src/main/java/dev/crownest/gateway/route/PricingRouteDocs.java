package dev.crownest.gateway.route;

import static java.util.Map.entry;

import dev.crownest.contracts.api.PricingVersionRequest;
import dev.crownest.contracts.api.PricingVersionView;
import dev.crownest.contracts.api.TenantPricingRequest;
import dev.crownest.contracts.api.TenantPricingView;
import dev.crownest.gateway.route.RouteDocs.Doc;
import java.util.Map;

/** The OpenAPI entries of the pricing routes (versions in metering, pins on the Tenant aggregate), beside {@link RouteDocs}'. */
final class PricingRouteDocs {
    static final Map<String, Doc> DOCS = Map.ofEntries(
            entry(
                    "POST /v1/pricing-versions",
                    Doc.of("Publish a pricing version (operator); versions never change, a new price is a new id: 400 "
                                    + "invalid_price (negative, not a number, over 8 decimal places), "
                                    + "invalid_pricing_version; 409 pricing_version_exists")
                            .body(PricingVersionRequest.class)
                            .answers(201, PricingVersionView.class)),
            entry(
                    "GET /v1/pricing-versions",
                    Doc.of("The published pricing versions (operator); inUse once any usage was rated with one")
                            .pageOf(PricingVersionView.class)),
            entry(
                    "PUT /v1/tenants/{id}/pricing",
                    Doc.of("Pin a tenant to a published pricing version (operator): its usage from effectiveFrom (the "
                                    + "first second after the pin) is rated at it, what was rated before keeps its version; "
                                    + "404 pricing_version_not_found, tenant_not_found")
                            .body(TenantPricingRequest.class)
                            .answers(200, TenantPricingView.class)));

    private PricingRouteDocs() {}
}
