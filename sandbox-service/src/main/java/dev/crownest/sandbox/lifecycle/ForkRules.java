package dev.crownest.sandbox.lifecycle;

import static dev.crownest.sandbox.eventstore.Events.SCHEMA_VERSION;
import static dev.crownest.sandbox.lifecycle.CreateSandboxRules.MAX_TTL_MS;
import static dev.crownest.sandbox.lifecycle.CreateSandboxRules.MIN_TTL_MS;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.api.CreateSandboxRequest;
import dev.crownest.contracts.api.SandboxView;
import dev.crownest.contracts.event.SandboxEvent.SandboxCreated;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The rules of a fork ({@code POST /v1/sandboxes {"fromSnapshot"}}): only {@code ttlMs} and
 * {@code metadata} may be given; everything else is the source's.
 */
final class ForkRules {
    /** How the worker reports a node's refusal of a fork whose source is no longer at the snapshot. */
    private static final String NOT_CURRENT = "snapshot_not_current: ";

    private ForkRules() {}

    /** A fork that failed because the node found its source no longer paused at the snapshot. */
    static boolean lostTheSnapshot(SandboxView fork) {
        return "failed".equals(fork.status())
                && fork.failureReason() != null
                && fork.failureReason().startsWith(NOT_CURRENT);
    }

    /** 400 {@code fork_field_not_allowed} naming every create field a fork was given besides ttlMs and metadata. */
    static void requireOnlyForkFields(CreateSandboxRequest body) {
        List<String> extra = new ArrayList<>();
        if (body.template() != null) {
            extra.add("template");
        }
        if (body.network() != null) {
            extra.add("network");
        }
        if (body.allowedHosts() != null) {
            extra.add("allowedHosts");
        }
        if (body.env() != null) {
            extra.add("env");
        }
        if (body.cpu() != null) {
            extra.add("cpu");
        }
        if (body.memoryMb() != null) {
            extra.add("memoryMb");
        }
        if (body.diskMb() != null) {
            extra.add("diskMb");
        }
        if (body.projectId() != null) {
            extra.add("projectId");
        }
        if (!extra.isEmpty()) {
            throw ApiException.badRequest(
                    "fork_field_not_allowed",
                    "a fork takes only fromSnapshot, ttlMs and metadata; the rest is the snapshot's: " + extra);
        }
    }

    /** The fork's SandboxCreated: the source's shape, its own TTL and metadata, no env of its own. */
    static SandboxCreated created(ForkSandbox command, Instant now) {
        if (command.ttlMs() < MIN_TTL_MS || command.ttlMs() > MAX_TTL_MS) {
            throw ApiException.badRequest("invalid_ttl", "ttlMs must be between " + MIN_TTL_MS + " and " + MAX_TTL_MS);
        }
        return new SandboxCreated(
                UUID.randomUUID(),
                command.tenantId(),
                now,
                SCHEMA_VERSION,
                command.sandboxId(),
                command.projectId(),
                command.template(),
                command.ttlMs(),
                now.plusMillis(command.ttlMs()),
                command.network(),
                command.allowedHosts() == null ? List.of() : List.copyOf(command.allowedHosts()),
                command.cpu(),
                command.memoryMb(),
                command.diskMb(),
                Map.of(), // the node gives the fork its source's env
                CreateSandboxRules.copy(command.metadata(), "invalid_metadata"),
                command.actor(),
                command.fromSnapshot(),
                command.sourceSandboxId());
    }
}
