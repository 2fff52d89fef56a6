package dev.crownest.sandbox.credential;

import dev.crownest.contracts.api.ApiException;
import java.util.regex.Pattern;

/** Secrets reach this service only as SHA-256 hashes (lower-case hex); anything else is refused unseen. */
public final class SecretHashes {
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private SecretHashes() {}

    public static void require(String hash, String field) {
        if (hash == null || !SHA256_HEX.matcher(hash).matches()) {
            // Says nothing about the value: it might be a secret pasted by mistake.
            throw ApiException.badRequest("invalid_secret_hash", field + " must be SHA-256 in lower-case hex");
        }
    }
}
