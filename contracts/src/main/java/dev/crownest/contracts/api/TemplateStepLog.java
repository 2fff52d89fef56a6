package dev.crownest.contracts.api;

/**
 * One step of a template build: its command ({@code write FILES} for the files written first), its
 * output (stdout and stderr together, the tail past the cap), exit code, time, and whether its
 * timeout ended it.
 */
public record TemplateStepLog(
        int step, String command, String output, int exitCode, long durationMs, boolean timedOut) {}
