package dev.crownest.node.pool;

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

    /** The pool of one template. */
    record TemplatePool(int ready, int size) {}

    @GetMapping("/node/v1/warm-pool")
    Map<String, TemplatePool> pools() {
        Map<String, TemplatePool> pools = new TreeMap<>();
        sizes.warmPool()
                .forEach((template, size) -> pools.put(template, new TemplatePool(pool.readyCount(template), size)));
        return pools;
    }
}
