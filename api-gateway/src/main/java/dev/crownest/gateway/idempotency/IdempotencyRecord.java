package dev.crownest.gateway.idempotency;

/** A stored claim: still running, or done with the answer to replay (or why its body was not kept). */
record IdempotencyRecord(
        String fingerprint,
        boolean done,
        Integer status,
        String contentType,
        String location,
        byte[] body,
        CapturedResponse.Withheld withheld) {}
