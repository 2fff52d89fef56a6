package dev.crownest.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.Topics;
import dev.crownest.contracts.event.UsageRated;
import dev.crownest.testing.DropsThrowawayDatabases;
import dev.crownest.testing.TestInfrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Rated usage from real Kafka into the ledger in real PostgreSQL: charged once, credit granted once. */
@ExtendWith(DropsThrowawayDatabases.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class BillingIntegrationTest {
    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "billing_test_");
    }

    @LocalServerPort
    int port;
    @Autowired
    KafkaTemplate<String, PlatformEvent> kafka;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ObjectMapper json;

    @Test
    void chargesEachRatedSecondOnceAgainstTheFreeCredit() throws Exception {
        String tenant = "t-" + UUID.randomUUID();
        BigDecimal perSecond = new BigDecimal("0.0000333333");
        for (int second = 0; second < 30; second++) {
            UsageRated rated = new UsageRated(UUID.randomUUID(), tenant, Instant.now(), UsageRated.SCHEMA_VERSION, "sbx_1", null, 1000 + second, 1000 + second, 1,
                    BigDecimal.ONE, "2026-11-01", perSecond);
            kafka.send(Topics.RATED_USAGE, tenant, rated);
            kafka.send(Topics.RATED_USAGE, tenant, rated); // re-published after a crash: same event id
        }
        kafka.flush();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(jdbc.queryForObject("SELECT count(*) FROM usage_charge WHERE tenant_id = ?", Long.class, tenant)).isEqualTo(30));
        JsonNode balance = balance(tenant);
        assertThat(balance.path("ratedSeconds").asLong()).isEqualTo(30);
        assertThat(balance.path("amountUsd").decimalValue()).isEqualByComparingTo(perSecond.multiply(BigDecimal.valueOf(30)));
        assertThat(balance.path("creditRemainingUsd").decimalValue())
                .isEqualByComparingTo(new BigDecimal("10.00").subtract(perSecond.multiply(BigDecimal.valueOf(30))));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM credit_ledger WHERE tenant_id = ? AND kind = 'credit_grant'", Long.class, tenant))
                .isEqualTo(1);
        // the ledger balances: grants minus usage equals the credit left
        assertThat(jdbc.queryForObject("SELECT sum(amount_usd) FROM credit_ledger WHERE tenant_id = ?", BigDecimal.class, tenant))
                .isEqualByComparingTo(balance.path("creditRemainingUsd").decimalValue());
    }

    private JsonNode balance(String tenant) throws Exception {
        HttpResponse<String> res = TestInfrastructure.getAsTenant(port, "/internal/billing/balance", tenant);
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        return json.readTree(res.body());
    }
}
