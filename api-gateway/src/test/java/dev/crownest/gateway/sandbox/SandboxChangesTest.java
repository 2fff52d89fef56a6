package dev.crownest.gateway.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

class SandboxChangesTest {

    private static byte[] event(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aListenerHearsItsOwnTenantsChangesAfterItsListeningMarker() {
        SandboxChanges changes = new SandboxChanges();
        changes.heard("sbx_before", event("{\"tenantId\":\"t1\"}")); // nobody listens yet: dropped
        List<SandboxChanges.Change> heard = new ArrayList<>();
        Disposable listening = changes.of("t1").subscribe(heard::add);
        changes.heard("sbx_other", event("{\"type\":\"SandboxCreated\",\"tenantId\":\"t2\"}"));
        // the tenant found past nested fields, whatever comes first
        changes.heard("sbx_mine", event("{\"spec\":{\"tenantId\":\"t2\",\"env\":[1,2]},\"tenantId\":\"t1\",\"x\":1}"));
        changes.heard("sbx_bad", event("not json"));
        changes.heard("sbx_none", event("{\"tenantId\":null}"));
        listening.dispose();
        changes.heard("sbx_after", event("{\"tenantId\":\"t1\"}"));

        assertThat(heard).containsExactly(SandboxChanges.Change.LISTENING, new SandboxChanges.Change("sbx_mine", "t1"));
    }
}
