package dev.crownest.audit.replay;

import dev.crownest.audit.log.ChainVerifier;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Replays a tenant's archived stream into read models and compares them with sandbox-service's live
 * ones (invariant 6: replaying the streams reproduces the read models).
 *
 * <p>Only events that occurred up to the replay's start are replayed. A resource that is still
 * changing may legitimately differ all the same: an event sandbox-service has already projected
 * may not have reached the audit log yet (it travels through Kafka, the read model is written in
 * the command's own transaction), or the live snapshot, taken a moment after the start, may show a
 * sandbox created or killed in between. A difference on a resource touched in the last few
 * seconds is worth a second replay before it is believed.
 */
@Service
class ReadModelReplay {
    private final ChainVerifier verifier;
    private final ArchivedReadModels archive;
    private final LiveReadModels live;
    private final TransactionTemplate snapshot;
    private final Clock clock;

    ReadModelReplay(
            ChainVerifier verifier,
            ArchivedReadModels archive,
            LiveReadModels live,
            PlatformTransactionManager transactions,
            Clock clock) {
        this.verifier = verifier;
        this.archive = archive;
        this.live = live;
        this.snapshot = new TransactionTemplate(transactions);
        this.snapshot.setReadOnly(true);
        // The chain is verified and replayed from one snapshot: what was checked is what is replayed.
        this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        this.clock = clock;
    }

    /**
     * @param project for a project-restricted key: only that project's sandboxes are compared, and no
     *     keys (they are the tenant's); null compares everything
     */
    ReplayResult replay(String tenant, String project, String requestId) {
        Instant start = clock.instant();
        record Archived(ChainVerifier.Verification verification, ReadModels models) {}
        Archived archived = snapshot.execute(tx -> {
            ChainVerifier.Verification verification = verifier.verify(tenant);
            return new Archived(verification, verification.valid() ? archive.rebuild(tenant, start) : null);
        });
        if (!archived.verification().valid()) {
            return new ReplayResult(
                    false,
                    false,
                    new ReplayResult.Checked(0, 0),
                    List.of(),
                    start,
                    archived.verification().firstInvalidSeq());
        }
        ReadModels current = live.fetch(tenant, requestId);
        ReadModels replayed = archived.models();
        if (project != null) {
            current = current.of(project);
            replayed = replayed.of(project);
        }
        List<ReplayResult.Difference> differences = new ArrayList<>();
        int sandboxes =
                compare("sandbox", replayed.sandboxes(), current.sandboxes(), ReadModels.SandboxState::id, differences);
        int keys = compare("key", replayed.keys(), current.keys(), ReadModels.KeyState::id, differences);
        return new ReplayResult(
                true, differences.isEmpty(), new ReplayResult.Checked(sandboxes, keys), differences, start, null);
    }

    /** Adds a difference per id whose states are not equal; answers how many distinct ids were compared. */
    private static <T> int compare(
            String resource,
            List<T> replayed,
            List<T> current,
            Function<T, String> id,
            List<ReplayResult.Difference> differences) {
        Map<String, T> fromArchive = index(replayed, id);
        Map<String, T> fromLive = index(current, id);
        TreeSet<String> ids = new TreeSet<>(fromArchive.keySet());
        ids.addAll(fromLive.keySet());
        for (String each : ids) {
            T a = fromArchive.get(each);
            T b = fromLive.get(each);
            if (!Objects.equals(a, b)) {
                differences.add(new ReplayResult.Difference(resource, each, a, b));
            }
        }
        return ids.size();
    }

    private static <T> Map<String, T> index(List<T> states, Function<T, String> id) {
        Map<String, T> byId = new TreeMap<>();
        for (T state : states) {
            byId.put(id.apply(state), state);
        }
        return byId;
    }
}
