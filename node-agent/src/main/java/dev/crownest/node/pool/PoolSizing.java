package dev.crownest.node.pool;

import java.util.Map;
import java.util.TreeMap;

/**
 * How many pre-started sandboxes each template gets: its recent demand (the {@link CreateDemand} peak), at
 * least its floor (its {@code crownest.node.warm-pool.<template>} setting) and at most {@code maxPerTemplate},
 * and all of them together within the node's memory budget. When the budget cannot hold every template's
 * want, floors come first, then the rest one sandbox at a time in turn, so one busy template cannot take
 * the whole budget from the others' floors. Templates with a floor of 0 get no pool at all.
 */
record PoolSizing(long budgetBytes, int maxPerTemplate) {

    /**
     * @param floors          the configured size per template (0: no pool for it)
     * @param peaks           recent demand per template (absent: none)
     * @param perSandboxBytes what one pooled sandbox is counted at against the budget
     * @return the target size per template with a pool, in template-name order
     */
    Map<String, Integer> targets(Map<String, Integer> floors, Map<String, Integer> peaks, long perSandboxBytes) {
        long capacity = perSandboxBytes <= 0 ? Long.MAX_VALUE : budgetBytes / perSandboxBytes;
        Map<String, Integer> wants = new TreeMap<>();
        floors.forEach((template, floor) -> {
            if (floor != null && floor > 0) {
                int want = Math.max(floor, peaks.getOrDefault(template, 0));
                wants.put(template, Math.min(Math.max(floor, maxPerTemplate), want));
            }
        });
        Map<String, Integer> targets = new TreeMap<>();
        for (var template : wants.keySet()) {
            int floor = Math.min(floors.get(template), wants.get(template));
            int given = (int) Math.min(floor, capacity);
            targets.put(template, given);
            capacity -= given;
        }
        for (boolean gave = true; gave && capacity > 0; ) {
            gave = false;
            for (var want : wants.entrySet()) {
                if (capacity > 0 && targets.get(want.getKey()) < want.getValue()) {
                    targets.merge(want.getKey(), 1, Integer::sum);
                    capacity--;
                    gave = true;
                }
            }
        }
        return targets;
    }
}
