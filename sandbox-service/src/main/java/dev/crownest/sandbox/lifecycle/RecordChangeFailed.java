package dev.crownest.sandbox.lifecycle;

import dev.crownest.contracts.node.SandboxChange;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The node reports it could not carry out {@code change} ({@code reason}, as it said). */
public record RecordChangeFailed(@TargetAggregateIdentifier String sandboxId, SandboxChange change, String reason) {}
