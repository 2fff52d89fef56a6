package dev.crownest.sandbox.key;

import static dev.crownest.sandbox.Rejections.INVALID;
import static dev.crownest.sandbox.Rejections.NOT_FOUND;
import static dev.crownest.sandbox.Rejections.rejectedWith;

import dev.crownest.contracts.event.KeyEvent.ApiKeyCreated;
import dev.crownest.contracts.event.KeyEvent.ApiKeyRevoked;
import dev.crownest.contracts.security.Scopes;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApiKeyAggregateTest {
    private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");
    private static final String ID = "key_abc";
    private static final String HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private AggregateTestFixture<ApiKeyAggregate> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(ApiKeyAggregate.class);
        fixture.registerInjectableResource(Clock.fixed(NOW, ZoneOffset.UTC));
        fixture.registerIgnoredField(ApiKeyCreated.class, "eventId");
        fixture.registerIgnoredField(ApiKeyRevoked.class, "eventId");
    }

    private static ApiKeyCreated created() {
        return new ApiKeyCreated(
                UUID.randomUUID(), "t1", NOW, 1, ID, "ci", List.of(Scopes.SANDBOXES_READ), null, HASH, "operator");
    }

    @Test
    void issuesAKeyCarryingOnlyTheHash() {
        fixture.givenNoPriorActivity()
                .when(new IssueApiKey(ID, "t1", "ci", List.of(Scopes.SANDBOXES_READ), null, HASH, "operator"))
                .expectEvents(created());
    }

    @Test
    void rejectsUnknownScopesMissingNamesAndNonHashes() {
        fixture.givenNoPriorActivity()
                .when(new IssueApiKey(ID, "t1", "ci", List.of("keys:create"), null, HASH, "operator"))
                .expectNoEvents()
                .expectException(rejectedWith(INVALID, "unknown_scope"));
        fixture.givenNoPriorActivity()
                .when(new IssueApiKey(ID, "t1", "ci", List.of(), null, HASH, "operator"))
                .expectNoEvents()
                .expectException(rejectedWith(INVALID, "invalid_scopes"));
        fixture.givenNoPriorActivity()
                .when(new IssueApiKey(ID, "t1", "k".repeat(101), Scopes.ALL, null, HASH, "operator"))
                .expectNoEvents()
                .expectException(rejectedWith(INVALID, "invalid_name"));
        fixture.givenNoPriorActivity()
                .when(new IssueApiKey(ID, "t1", " ", Scopes.ALL, null, HASH, "operator"))
                .expectNoEvents()
                .expectException(rejectedWith(INVALID, "invalid_name"));
        fixture.givenNoPriorActivity()
                .when(new IssueApiKey(ID, "t1", "ci", Scopes.ALL, null, "cn_live_secret", "operator"))
                .expectNoEvents()
                .expectException(rejectedWith(INVALID, "invalid_secret_hash"));
    }

    @Test
    void revokesOnce() {
        ApiKeyRevoked revoked = new ApiKeyRevoked(UUID.randomUUID(), "t1", NOW, 1, ID, "operator");
        fixture.given(created()).when(new RevokeApiKey(ID, "t1", "operator")).expectEvents(revoked);
        fixture.given(created(), revoked)
                .when(new RevokeApiKey(ID, "t1", "operator"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void anotherTenantCannotRevokeIt() {
        fixture.given(created())
                .when(new RevokeApiKey(ID, "t2", "operator"))
                .expectNoEvents()
                .expectException(rejectedWith(NOT_FOUND, "key_not_found"));
    }
}
