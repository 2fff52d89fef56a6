package dev.crownest.sandbox.template;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crownest.contracts.event.NodeHeartbeat;
import dev.crownest.contracts.node.NodeTemplate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What a build still {@code building} past its grace becomes, by what the nodes' heartbeats say of it. */
class LostTemplateBuildsTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private final NodeTemplateStates nodes = new NodeTemplateStates(Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void withoutAFreshHeartbeatNothingIsDecided() {
        assertThat(LostTemplateBuilds.verdict(nodes.state("tpl-a"))).isEmpty();
    }

    @Test
    void aBuildStillUnderWayOnANodeIsLeftAlone() {
        beat(new NodeTemplate("tpl-a", NodeTemplate.BUILDING, 0, null));
        assertThat(LostTemplateBuilds.verdict(nodes.state("tpl-a"))).isEmpty();
    }

    @Test
    void aBuildOnNoNodeFailsSayingItWasLost() {
        // after a worker or node restart: the node holds no such template and builds none
        beat(new NodeTemplate("base", NodeTemplate.READY, 100, NOW));
        var outcome = LostTemplateBuilds.verdict(nodes.state("tpl-a")).orElseThrow();
        assertThat(outcome.built()).isFalse();
        assertThat(outcome.reason()).startsWith("the build was lost").contains("restarted");
    }

    @Test
    void anImageReadyOnANodeWhoseReportWasLostIsRecordedBuilt() {
        beat(new NodeTemplate("tpl-a", NodeTemplate.READY, 4096, NOW));
        var outcome = LostTemplateBuilds.verdict(nodes.state("tpl-a")).orElseThrow();
        assertThat(outcome.built()).isTrue();
        assertThat(outcome.sizeBytes()).isEqualTo(4096);
    }

    private void beat(NodeTemplate... templates) {
        nodes.on(new NodeHeartbeat(UUID.randomUUID(), null, NOW, 1, "node-1", "http://node", 0, List.of(templates)));
    }
}
