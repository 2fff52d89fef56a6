package dev.crownest.sandbox.preview;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Close a preview: its URL answers 410 from then on. Closing a closed preview changes nothing. */
public record ClosePreview(@TargetAggregateIdentifier String previewId, String reason, String actor) {}
