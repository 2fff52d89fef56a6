package dev.crownest.systemtest;

import dev.crownest.contracts.security.Scopes;
import dev.crownest.sdk.CrowNest;
import dev.crownest.sdk.RawResponse;
import java.math.BigDecimal;
import java.util.Map;
import java.util.UUID;

/**
 * A tenant made by the operator on the {@code pro} plan (no free credit, so it is on credit only once
 * granted some), its admin session and a key with every tenant scope: what a credit stop is tried on.
 */
public record CreditTenant(String tenantId, CrowNest admin, CrowNest key) {

    public static CreditTenant create(String label) {
        String name = label + "-" + UUID.randomUUID().toString().substring(0, 8);
        RawResponse tenant =
                SystemUnderTest.operator().http().send("POST", "/v1/tenants", Map.of("name", name, "plan", "pro"));
        if (tenant.status() != 201) {
            throw new IllegalStateException("tenant " + name + " not created: " + tenant.text());
        }
        CrowNest admin = SystemUnderTest.withSession(tenant.field("adminToken"));
        RawResponse key = admin.http().send("POST", "/v1/keys", Map.of("name", label, "scopes", Scopes.ALL));
        if (key.status() != 201) {
            throw new IllegalStateException("key of " + name + " not created: " + key.text());
        }
        return new CreditTenant(tenant.field("id"), admin, SystemUnderTest.withKey(key.field("key")));
    }

    /** The operator grants {@code amountUsd}; answers the grant's answer (201 expected). */
    public RawResponse grant(String amountUsd) {
        return SystemUnderTest.operator()
                .http()
                .send(
                        "POST",
                        "/v1/credits/grants?tenantId=" + tenantId,
                        Map.of("amountUsd", new BigDecimal(amountUsd), "reason", "credit stop"));
    }
}
