package dev.crownest.gateway.idempotency;

/**
 * A mutating request that carries an {@code Idempotency-Key}.
 *
 * @param callerHash  SHA-256 of the caller's credential: keys of one caller never meet another's
 * @param key         the client's Idempotency-Key
 * @param fingerprint SHA-256 of method, path, query and body: the same key with another request is a 422
 */
record IdempotentRequest(String callerHash, String key, String fingerprint) {}
