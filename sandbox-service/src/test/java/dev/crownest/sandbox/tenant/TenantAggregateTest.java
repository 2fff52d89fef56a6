package dev.crownest.sandbox.tenant;

import static dev.crownest.sandbox.Rejections.CONFLICT;
import static dev.crownest.sandbox.Rejections.INVALID;
import static dev.crownest.sandbox.Rejections.NOT_FOUND;
import static dev.crownest.sandbox.Rejections.rejectedWith;

import dev.crownest.contracts.event.TenantEvent.TenantAdminSessionOpened;
import dev.crownest.contracts.event.TenantEvent.TenantAdminSessionRevoked;
import dev.crownest.contracts.event.TenantEvent.TenantCreated;
import dev.crownest.contracts.event.TenantEvent.TenantPlanChanged;
import dev.crownest.contracts.event.TenantEvent.TenantPricingPinned;
import dev.crownest.contracts.event.TenantEvent.TenantSuspended;
import dev.crownest.contracts.event.TenantEvent.TenantUnsuspended;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TenantAggregateTest {
    private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");
    private static final String HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private static final String OTHER_HASH = "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752";

    private AggregateTestFixture<TenantAggregate> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(TenantAggregate.class);
        fixture.registerInjectableResource(Clock.fixed(NOW, ZoneOffset.UTC));
        fixture.registerIgnoredField(TenantCreated.class, "eventId");
        fixture.registerIgnoredField(TenantAdminSessionOpened.class, "eventId");
        fixture.registerIgnoredField(TenantAdminSessionRevoked.class, "eventId");
        fixture.registerIgnoredField(TenantPlanChanged.class, "eventId");
        fixture.registerIgnoredField(TenantPricingPinned.class, "eventId");
        fixture.registerIgnoredField(TenantSuspended.class, "eventId");
        fixture.registerIgnoredField(TenantUnsuspended.class, "eventId");
    }

    private static TenantCreated created() {
        return new TenantCreated(UUID.randomUUID(), "ten_1", NOW, 1, "Acme", "pro", "operator", null);
    }

    private static TenantAdminSessionOpened firstSession() {
        return new TenantAdminSessionOpened(UUID.randomUUID(), "ten_1", NOW, 1, "adm_1", HASH, "operator");
    }

    @Test
    void createsATenantWithItsFirstAdminSessionCarryingOnlyTheHash() {
        fixture.givenNoPriorActivity()
                .when(new CreateTenant("ten_1", "  Acme ", "pro", null, "adm_1", HASH, "operator"))
                .expectEvents(created(), firstSession());
    }

    @Test
    void rejectsBadNamesMissingPlansAndTokensInsteadOfHashes() {
        fixture.givenNoPriorActivity()
                .when(new CreateTenant("ten_1", "", "pro", null, "adm_1", HASH, "operator"))
                .expectNoEvents()
                .expectException(rejectedWith(INVALID, "invalid_name"));
        fixture.givenNoPriorActivity()
                .when(new CreateTenant("ten_1", "x".repeat(101), "pro", null, "adm_1", HASH, "operator"))
                .expectNoEvents()
                .expectException(rejectedWith(INVALID, "invalid_name"));
        fixture.givenNoPriorActivity()
                .when(new CreateTenant("ten_1", "Acme", " ", null, "adm_1", HASH, "operator"))
                .expectNoEvents()
                .expectException(rejectedWith(INVALID, "invalid_plan"));
        fixture.givenNoPriorActivity()
                .when(new CreateTenant("ten_1", "Acme", "pro", null, "adm_1", "cn_admin_secret", "operator"))
                .expectNoEvents()
                .expectException(rejectedWith(INVALID, "invalid_secret_hash"));
    }

    @Test
    void opensAnotherSessionAndRevokesOnce() {
        TenantAdminSessionOpened second =
                new TenantAdminSessionOpened(UUID.randomUUID(), "ten_1", NOW, 1, "adm_2", OTHER_HASH, "operator");
        TenantAdminSessionRevoked revoked =
                new TenantAdminSessionRevoked(UUID.randomUUID(), "ten_1", NOW, 1, "adm_1", "operator");
        fixture.given(created(), firstSession())
                .when(new OpenTenantAdminSession("ten_1", "adm_2", OTHER_HASH, "operator"))
                .expectEvents(second);
        fixture.given(created(), firstSession(), second)
                .when(new RevokeTenantAdminSession("ten_1", "adm_1", "operator"))
                .expectEvents(revoked);
        fixture.given(created(), firstSession(), second, revoked)
                .when(new RevokeTenantAdminSession("ten_1", "adm_1", "operator"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void unknownSessionsAreNotFoundAndSessionIdsAreNotReused() {
        fixture.given(created(), firstSession())
                .when(new RevokeTenantAdminSession("ten_1", "adm_nope", "operator"))
                .expectNoEvents()
                .expectException(rejectedWith(NOT_FOUND, "session_not_found"));
        fixture.given(created(), firstSession())
                .when(new OpenTenantAdminSession("ten_1", "adm_1", OTHER_HASH, "operator"))
                .expectNoEvents()
                .expectException(rejectedWith(CONFLICT, "session_exists"));
    }

    @Test
    void aSignUpCarriesItsEmailWithTheDomainInLowerCaseAndABadOneIsRefused() {
        fixture.givenNoPriorActivity()
                .when(new CreateTenant("ten_1", "Acme", "free", " Ada@Example.COM ", "adm_1", HASH, "system:signup"))
                .expectEvents(
                        new TenantCreated(
                                UUID.randomUUID(), "ten_1", NOW, 1, "Acme", "free", "system:signup", "Ada@example.com"),
                        new TenantAdminSessionOpened(
                                UUID.randomUUID(), "ten_1", NOW, 1, "adm_1", HASH, "system:signup"));
        for (String bad : new String[] {
            "",
            "ada",
            "ada@",
            "@example.com",
            "ada@example",
            "a b@example.com",
            "ada@@x.io",
            "ada..b@example.com",
            "x".repeat(250) + "@example.com"
        }) {
            fixture.givenNoPriorActivity()
                    .when(new CreateTenant("ten_1", "Acme", "free", bad, "adm_1", HASH, "system:signup"))
                    .expectNoEvents()
                    .expectException(rejectedWith(INVALID, "invalid_email"));
        }
    }

    @Test
    void suspendsAndUnsuspendsOnceEach() {
        TenantSuspended suspended = new TenantSuspended(UUID.randomUUID(), "ten_1", NOW, 1, "abuse", "operator");
        fixture.given(created(), firstSession())
                .when(new SuspendTenant("ten_1", "abuse", "operator"))
                .expectEvents(suspended)
                .expectResultMessagePayload(true);
        fixture.given(created(), firstSession(), suspended)
                .when(new SuspendTenant("ten_1", "again", "operator"))
                .expectNoEvents()
                .expectResultMessagePayload(false);
        fixture.given(created(), firstSession(), suspended)
                .when(new UnsuspendTenant("ten_1", "operator"))
                .expectEvents(new TenantUnsuspended(UUID.randomUUID(), "ten_1", NOW, 1, "operator"));
        fixture.given(created(), firstSession())
                .when(new UnsuspendTenant("ten_1", "operator"))
                .expectNoEvents()
                .expectResultMessagePayload(false);
    }

    @Test
    void aPlanChangeNamesTheOldPlanAndTheSamePlanChangesNothing() {
        TenantPlanChanged toTeam = new TenantPlanChanged(UUID.randomUUID(), "ten_1", NOW, 1, "team", "pro", "operator");
        fixture.given(created(), firstSession())
                .when(new ChangeTenantPlan("ten_1", "team", "operator"))
                .expectEvents(toTeam);
        fixture.given(created(), firstSession(), toTeam)
                .when(new ChangeTenantPlan("ten_1", "team", "operator"))
                .expectNoEvents()
                .expectResultMessagePayload(false);
        fixture.given(created(), firstSession())
                .when(new ChangeTenantPlan("ten_1", " ", "operator"))
                .expectNoEvents()
                .expectException(rejectedWith(INVALID, "invalid_plan"));
    }

    @Test
    void aPinNamesThePreviousVersionAndTheSameVersionChangesNothing() {
        TenantPricingPinned first = new TenantPricingPinned(UUID.randomUUID(), "ten_1", NOW, 1, "v2", null, "operator");
        TenantPricingPinned second =
                new TenantPricingPinned(UUID.randomUUID(), "ten_1", NOW, 1, "v3", "v2", "operator");
        fixture.given(created(), firstSession())
                .when(new PinTenantPricing("ten_1", "v2", "operator"))
                .expectEvents(first)
                .expectResultMessagePayload(true);
        fixture.given(created(), firstSession(), first)
                .when(new PinTenantPricing("ten_1", "v3", "operator"))
                .expectEvents(second);
        fixture.given(created(), firstSession(), first)
                .when(new PinTenantPricing("ten_1", "v2", "operator"))
                .expectNoEvents()
                .expectResultMessagePayload(false);
        fixture.given(created(), firstSession())
                .when(new PinTenantPricing("ten_1", "", "operator"))
                .expectNoEvents()
                .expectException(rejectedWith(INVALID, "invalid_pricing_version"));
    }
}
