package dev.crownest.node.pool;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How many pre-started sandboxes the node keeps per template ({@code crownest.node.warm-pool.<template>=N};
 * application.yml sets {@code base: 2}; 0 or absent disables the pool of that template).
 */
@ConfigurationProperties("crownest.node")
public record WarmPoolProperties(Map<String, Integer> warmPool) {
    public WarmPoolProperties {
        warmPool = warmPool == null ? Map.of() : Map.copyOf(warmPool);
    }
}
