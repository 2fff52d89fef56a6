package dev.crownest.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crownest.contracts.event.Topics;
import dev.crownest.sdk.CrowNest;
import dev.crownest.sdk.RawResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Credits stop spend end to end (issue 14, item 4): a tenant granted a few seconds of credit and no payment
 * method runs a sandbox until its credit is used up; billing holds it and the sandbox is paused (not lost)
 * within a second, measured from billing's {@code CreditsExhausted} to the control plane's
 * {@code SandboxPaused} and to the sandbox gone from the node; creates and resumes answer 402
 * {@code credits_exhausted}; an operator's grant restores the credit ({@code CreditsRestored}) and the
 * sandbox, still paused, resumes with its files. The payment method route takes admin sessions only.
 */
class CreditStopTest {
    private static final CrowNest OPERATOR = SystemUnderTest.operator();

    @Test
    void exhaustedCreditPausesWithinASecondAndAGrantLetsTheTenantResume() throws Exception {
        CreditTenant tenant = CreditTenant.create("credits");
        String tenantId = tenant.tenantId();
        CrowNest admin = tenant.admin();
        CrowNest key = tenant.key();

        // the payment method is an admin's, never a key's; this stack has no Stripe configured
        assertError(
                key.http().send("PUT", "/v1/billing/payment-method", Map.of("paymentMethodId", "pm_card_visa")),
                403,
                "session_required");
        assertError(
                admin.http().send("PUT", "/v1/billing/payment-method", Map.of("paymentMethodId", "visa")),
                400,
                "invalid_payment_method");
        assertError(
                admin.http().send("PUT", "/v1/billing/payment-method", Map.of("paymentMethodId", "pm_card_visa")),
                409,
                "payments_not_configured");
        assertError(
                OPERATOR.http()
                        .send(
                                "POST",
                                "/v1/credits/grants?tenantId=" + tenantId,
                                Map.of("amountUsd", -1, "reason", "x")),
                400,
                "invalid_amount");
        assertError(
                admin.http()
                        .send("POST", "/v1/credits/grants?tenantId=" + tenantId, Map.of("amountUsd", 1, "reason", "x")),
                403,
                null);

        // about two seconds of a 1 vCPU, 512 MB sandbox at $0.12 per compute-unit hour
        grant(tenant, "0.0001");
        try (TopicTail events =
                TopicTail.fromNow(SystemUnderTest.kafka(), Topics.BILLING_EVENTS, Topics.SANDBOX_EVENTS)) {
            RawResponse created =
                    key.http().send("POST", "/v1/sandboxes", Map.of("template", "base", "cpu", 1, "memoryMb", 512));
            assertThat(created.status()).as(created.text()).isEqualTo(201);
            String id = created.field("id");
            RawResponse wrote = key.http()
                    .send(
                            "POST",
                            "/v1/sandboxes/" + id + "/commands",
                            Map.of("cmd", "sh -c 'echo kept > /workspace/note'"));
            assertThat(wrote.status()).as(wrote.text()).isEqualTo(200);

            CreditPause pause = CreditPause.await(events, tenantId, id, Duration.ofSeconds(60));
            System.out.printf(
                    "credits: exhausted %s, SandboxPaused +%d ms, gone from the node +%d ms%n",
                    pause.exhaustedAt(), pause.exhaustedToPausedMs(), pause.exhaustedToStoppedMs());
            assertThat(pause.paused().path("actor").asText()).isEqualTo("system:credits");
            assertThat(pause.exhaustedToPausedMs())
                    .as("CreditsExhausted to SandboxPaused")
                    .isLessThanOrEqualTo(1000);
            assertThat(pause.exhaustedToStoppedMs())
                    .as("CreditsExhausted to the sandbox stopped on the node")
                    .isLessThanOrEqualTo(1000);
            assertThat(key.sandboxes().get(id).status()).isEqualTo("paused");

            // held: nothing new runs, in the one error shape
            assertError(key.http().send("POST", "/v1/sandboxes", Map.of("template", "base")), 402, "credits_exhausted");
            assertError(key.http().send("POST", "/v1/sandboxes/" + id + "/resume", Map.of()), 402, "credits_exhausted");

            // a grant restores the credit; the sandbox stays paused until the tenant resumes it
            grant(tenant, "1");
            await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> events.poll(Duration.ofMillis(100)).stream()
                            .anyMatch(r -> r.type().equals("CreditsRestored")
                                    && tenantId.equals(
                                            r.event().path("tenantId").asText())));
            assertThat(key.sandboxes().get(id).status()).isEqualTo("paused");
            RawResponse resumed = key.http().send("POST", "/v1/sandboxes/" + id + "/resume", Map.of());
            assertThat(resumed.status()).as(resumed.text()).isEqualTo(200);
            RawResponse read =
                    key.http().send("POST", "/v1/sandboxes/" + id + "/commands", Map.of("cmd", "cat /workspace/note"));
            assertThat(read.json().path("stdout").asText()).isEqualTo("kept\n");
            assertThat(key.http().send("DELETE", "/v1/sandboxes/" + id).status())
                    .isEqualTo(200);
        }
    }

    private static void grant(CreditTenant tenant, String amountUsd) {
        RawResponse granted = tenant.grant(amountUsd);
        assertThat(granted.status()).as(granted.text()).isEqualTo(201);
    }

    private static void assertError(RawResponse response, int status, String code) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        JsonNode error = response.json().path("error");
        assertThat(error.path("message").asText()).isNotBlank();
        if (code != null) {
            assertThat(error.path("code").asText()).isEqualTo(code);
        }
    }
}
