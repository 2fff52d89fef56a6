package dev.crownest.gateway.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SandboxReadCacheTest {

    private final SandboxReadCache cache = new SandboxReadCache(100);

    @BeforeEach
    void positioned() {
        cache.positioned();
    }

    @Test
    void aReadIsServedOnlyToItsTenantAndToKeysOfItsProject() {
        cache.storeRead("sbx_1", cache.ticket(), entry("sbx_1", "t_a", "prj_1", "running"));

        assertThat(cache.find("sbx_1", "t_a", null)).isNotNull();
        assertThat(cache.find("sbx_1", "t_a", "prj_1")).isNotNull();
        assertThat(cache.find("sbx_1", "t_a", "prj_2")).isNull();
        assertThat(cache.find("sbx_1", "t_b", null)).isNull();
        assertThat(cache.find("sbx_2", "t_a", null)).isNull();
    }

    @Test
    void aSandboxWithoutProjectIsNotShownToAProjectKey() {
        cache.storeRead("sbx_1", cache.ticket(), entry("sbx_1", "t_a", null, "running"));

        assertThat(cache.find("sbx_1", "t_a", "prj_1")).isNull();
        assertThat(cache.find("sbx_1", "t_a", null)).isNotNull();
    }

    @Test
    void anEventDropsTheEntry() {
        cache.storeRead("sbx_1", cache.ticket(), entry("sbx_1", "t_a", null, "running"));
        cache.changed("sbx_1");

        assertThat(cache.find("sbx_1", "t_a", null)).isNull();
    }

    @Test
    void aReadThatBeganBeforeAnEventIsNotStored() {
        long ticket = cache.ticket();
        cache.changed("sbx_1"); // the event overtook the read's answer
        cache.storeRead("sbx_1", ticket, entry("sbx_1", "t_a", null, "running"));

        assertThat(cache.find("sbx_1", "t_a", null)).isNull();

        cache.storeRead("sbx_1", cache.ticket(), entry("sbx_1", "t_a", null, "killed"));
        assertThat(status(cache.find("sbx_1", "t_a", null))).isEqualTo("killed");
    }

    @Test
    void anEventOfAnotherSandboxDoesNotStopAStore() {
        long ticket = cache.ticket();
        cache.changed("sbx_2");
        cache.storeRead("sbx_1", ticket, entry("sbx_1", "t_a", null, "running"));

        assertThat(cache.find("sbx_1", "t_a", null)).isNotNull();
    }

    @Test
    void anOwnWriteReplacesTheEntryAndAnOlderReadCannotPutTheOldStateBack() {
        long readBegan = cache.ticket();
        long killBegan = cache.ticket();
        cache.storeOwnWrite("sbx_1", killBegan, entry("sbx_1", "t_a", null, "killed"));
        cache.storeRead("sbx_1", readBegan, entry("sbx_1", "t_a", null, "running")); // answered late

        assertThat(status(cache.find("sbx_1", "t_a", null))).isEqualTo("killed");
    }

    @Test
    void anOwnWriteOvertakenByAnEventOnlyDropsTheEntry() {
        cache.storeRead("sbx_1", cache.ticket(), entry("sbx_1", "t_a", null, "running"));
        long ticket = cache.ticket();
        cache.changed("sbx_1");
        cache.storeOwnWrite("sbx_1", ticket, entry("sbx_1", "t_a", null, "paused"));

        assertThat(cache.find("sbx_1", "t_a", null)).isNull();
    }

    @Test
    void anOwnWriteWithoutAnswerDropsTheEntry() {
        cache.storeRead("sbx_1", cache.ticket(), entry("sbx_1", "t_a", null, "running"));
        cache.storeOwnWrite("sbx_1", cache.ticket(), null);

        assertThat(cache.find("sbx_1", "t_a", null)).isNull();
    }

    @Test
    void nothingIsServedOrStoredWhileTheEventReaderLostItsPlaceAndItStartsEmptyAgain() {
        cache.storeRead("sbx_1", cache.ticket(), entry("sbx_1", "t_a", null, "running"));
        long ticket = cache.ticket();
        cache.lost();

        assertThat(cache.find("sbx_1", "t_a", null)).isNull();
        cache.storeRead("sbx_2", cache.ticket(), entry("sbx_2", "t_a", null, "running"));
        cache.positioned();
        assertThat(cache.find("sbx_1", "t_a", null)).isNull();
        assertThat(cache.find("sbx_2", "t_a", null)).isNull();
        // a read that began before the reader came back may have missed events: not stored
        cache.storeRead("sbx_1", ticket, entry("sbx_1", "t_a", null, "running"));
        assertThat(cache.find("sbx_1", "t_a", null)).isNull();
    }

    @Test
    void pastItsSizeTheCacheEmptiesAndReadsInFlightCannotRefillItWithOldState() {
        long ticket = cache.ticket();
        for (int i = 0; i < 150; i++) {
            cache.storeRead("sbx_" + i, cache.ticket(), entry("sbx_" + i, "t_a", null, "running"));
        }
        assertThat(cache.size()).isLessThanOrEqualTo(100);
        cache.storeRead("sbx_x", ticket, entry("sbx_x", "t_a", null, "running"));
        assertThat(cache.find("sbx_x", "t_a", null)).isNull();
    }

    private static SandboxReadCache.Entry entry(String id, String tenant, String project, String status) {
        return new SandboxReadCache.Entry(
                id,
                tenant,
                project,
                ("{\"id\":\"" + id + "\",\"status\":\"" + status + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    private static String status(SandboxReadCache.Entry entry) {
        String body = new String(entry.body(), StandardCharsets.UTF_8);
        return body.replaceAll(".*\"status\":\"([a-z]+)\".*", "$1");
    }
}
