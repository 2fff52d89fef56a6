package dev.crownest.audit.replay;

import dev.crownest.kit.caller.Caller;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /internal/audit/replay}: rebuilds the tenant's sandbox and key read models from the
 * verified audit log and compares them with sandbox-service's live ones; answers {@link ReplayResult}.
 * Read-only on both sides, so repeating it is harmless.
 */
@RestController
class ReplayController {
    private final ReadModelReplay replay;

    ReplayController(ReadModelReplay replay) {
        this.replay = replay;
    }

    @PostMapping("/internal/audit/replay")
    ReplayResult replay(Caller caller) {
        return replay.replay(caller.tenant(), caller.project(), caller.requestId());
    }
}
