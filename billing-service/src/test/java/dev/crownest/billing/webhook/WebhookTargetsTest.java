package dev.crownest.billing.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.crownest.contracts.api.ApiException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which targets are refused, in production and on the single-machine stack (address literals: no DNS). */
class WebhookTargetsTest {
    static WebhookTargets targets(boolean allowPrivate) {
        Duration s = Duration.ofSeconds(1);
        return new WebhookTargets(
                new WebhookProperties(allowPrivate, List.of(8080, 5433, 9092), s, s, s, s, s, s, s, 1, 1));
    }

    static String refusal(WebhookTargets targets, String url) {
        ApiException e = catchThrowableOfType(ApiException.class, () -> targets.registrable(url));
        return e == null ? null : e.code();
    }

    @Test
    void productionRefusesLoopbackPrivateLinkLocalAndMappedAddresses() {
        WebhookTargets production = targets(false);
        for (String url : List.of(
                "http://127.0.0.1:3000/hook",
                "http://localhost/hook",
                "http://10.1.2.3/hook",
                "http://192.168.1.1/hook",
                "http://172.16.0.1/hook",
                "http://169.254.169.254/latest/meta-data",
                "http://100.64.0.1/hook",
                "http://0.0.0.0/hook",
                "http://[::1]/hook",
                "http://[::ffff:127.0.0.1]/hook",
                "http://[fd00:ec2::254]/hook")) {
            assertThat(refusal(production, url)).as(url).isEqualTo("webhook_target_refused");
        }
        assertThat(refusal(production, "https://93.184.215.14/hook")).isNull();
    }

    @Test
    void theStackAllowsLoopbackButNeverItsOwnServicePorts() {
        WebhookTargets stack = targets(true);
        assertThat(refusal(stack, "http://127.0.0.1:3000/hook")).isNull();
        assertThat(refusal(stack, "http://127.0.0.1:8080/v1/sandboxes")).isEqualTo("webhook_target_refused");
        assertThat(refusal(stack, "http://localhost:5433/")).isEqualTo("webhook_target_refused");
        assertThat(refusal(stack, "http://[::1]:9092/")).isEqualTo("webhook_target_refused");
        assertThat(refusal(stack, "http://0.0.0.0:8080/")).isEqualTo("webhook_target_refused");
        // the same port on another host is someone else's service
        assertThat(refusal(stack, "http://93.184.215.14:8080/")).isNull();
    }

    @Test
    void urlsThatAreNotHttpOrTooLongAreRefusedByForm() {
        WebhookTargets stack = targets(true);
        assertThat(refusal(stack, "file:///etc/passwd")).isEqualTo("invalid_webhook_url");
        assertThat(refusal(stack, "gopher://127.0.0.1:3000/")).isEqualTo("invalid_webhook_url");
        assertThat(refusal(stack, "http:///nohost")).isEqualTo("invalid_webhook_url");
        assertThat(refusal(stack, "http://127.0.0.1:3000/" + "a".repeat(2048))).isEqualTo("webhook_url_too_long");
        assertThat(refusal(stack, "HTTPS://93.184.215.14/Hook")).isNull();
        assertThatThrownBy(() -> stack.registrable(" ")).isInstanceOf(ApiException.class);
    }
}
