package dev.crownest.sandbox.artifact;

/**
 * Storage keys shaped like S3 object keys, {@code tenant/sandbox/artifactId}: one prefix per tenant and
 * per sandbox (listing, lifecycle rules, per-tenant buckets later). Characters outside
 * {@code [A-Za-z0-9._-]} become {@code _}; the random artifact id keeps the key unique regardless.
 */
final class ArtifactKeys {

    private ArtifactKeys() {}

    static String of(String tenantId, String sandboxId, String artifactId) {
        return segment(tenantId) + "/" + segment(sandboxId) + "/" + segment(artifactId);
    }

    private static String segment(String value) {
        String safe = value.replaceAll("[^A-Za-z0-9._-]", "_");
        if (safe.isEmpty() || safe.charAt(0) == '.' || safe.charAt(0) == '-') {
            safe = "_" + safe;
        }
        return safe.length() > 128 ? safe.substring(0, 128) : safe;
    }
}
