package dev.crownest.audit.replay;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * What a replay found: {@code {chainValid, equal, checked:{sandboxes,keys}, differences:[{resource,id,replayed,live}],
 * asOf}}. When the chain does not verify nothing is compared ({@code equal} false, no differences) and
 * {@code firstInvalidSeq} says where it breaks.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ReplayResult(
        boolean chainValid,
        boolean equal,
        Checked checked,
        List<Difference> differences,
        Instant asOf,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long firstInvalidSeq) {

    /** How many distinct sandboxes and keys were compared (replayed or live). */
    public record Checked(int sandboxes, int keys) {}

    /**
     * One resource whose replayed state is not the live one; {@code replayed} or {@code live} is
     * {@code null} when only the other side has it.
     *
     * @param resource {@code sandbox} or {@code key}
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Difference(String resource, String id, Object replayed, Object live) {}
}
