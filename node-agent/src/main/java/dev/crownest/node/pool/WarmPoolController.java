package dev.crownest.node.pool;

import dev.crownest.nodeclient.protocol.NodePaths;
import dev.crownest.nodeclient.protocol.TemplatePool;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /node/v1/warm-pool}: per configured template, how many pre-started sandboxes are ready and the
 * pool's size now (its target from demand, within the memory budget; see {@link WarmPool}).
 */
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
                .forEach((template, floor) ->
                        pools.put(template, new TemplatePool(pool.readyCount(template), pool.targetSize(template))));
        return pools;
    }
}
