package dev.crownest.gateway.kafka;

import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * This gateway process's identity on Kafka: every instance reads every record (docs/services.md),
 * so each one needs a group id of its own.
 */
@Component
public class GatewayInstance {

    private final String groupId = "api-gateway-" + UUID.randomUUID();

    public String groupId() {
        return groupId;
    }
}
