package dev.crownest.node.pool;

import dev.crownest.nodeclient.protocol.NodePaths;
import dev.crownest.nodeclient.protocol.TemplatePool;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /node/v1/warm-pool}: per template, how many pre-started sandboxes are ready and the configured size. */
@RestController
class WarmPoolController {
    private final WarmPool pool;
    private final WarmPoolProperties sizes;

    WarmPoolController(WarmPool pool, WarmPoolProperties sizes) {
        this.pool = pool;
        this.sizes = sizes;
    }

    @GetMapping(NodePaths.WARM_POOL)
    Map<String, TemplatePool> pools() {
        Map<String, TemplatePool> pools = new TreeMap<>();
        sizes.warmPool()
                .forEach((template, size) -> pools.put(template, new TemplatePool(pool.readyCount(template), size)));
        return pools;
    }
}
