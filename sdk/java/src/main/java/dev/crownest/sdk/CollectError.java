package dev.crownest.sdk;

/** A {@code collect} path that gave no artifact, and why ({@code code}, e.g. {@code not_found}). */
public record CollectError(String path, String code, String message) {}
