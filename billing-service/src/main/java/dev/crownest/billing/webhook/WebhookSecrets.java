package dev.crownest.billing.webhook;

import dev.crownest.kit.seal.EnvSeal;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Endpoint secrets: {@code whsec_} and 32 random bytes, shown once, stored sealed under the stack key
 * (AES-256-GCM, {@code crownest.sealing-key}) with the endpoint id as the additional data, so a sealed
 * secret cannot be moved to another endpoint. The sender opens it for each delivery.
 */
@Component
class WebhookSecrets {
    private final SecureRandom random = new SecureRandom();
    private final EnvSeal seal;

    WebhookSecrets(EnvSeal seal) {
        this.seal = seal;
    }

    String generate() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    String seal(String endpointId, String secret) {
        return seal.seal(Map.of(name(endpointId), secret)).get(name(endpointId));
    }

    String open(String endpointId, String sealed) {
        return seal.open(Map.of(name(endpointId), sealed)).get(name(endpointId));
    }

    private static String name(String endpointId) {
        return "webhook-secret:" + endpointId;
    }
}
