package dev.crownest.bench.api;

import dev.crownest.sdk.CrowNest;
import dev.crownest.sdk.RawResponse;
import dev.crownest.systemtest.SystemUnderTest;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code ./crownest bench api [SECONDS] [STREAM_MB] [ROUNDS] [FILE_MB] [FOLLOW_MB]}: the public edge under load,
 * each figure beside baselines measured in the same run, interleaved over ROUNDS rounds (default 3), medians
 * printed; 0 for SECONDS, STREAM_MB, FILE_MB or FOLLOW_MB skips that part.
 * <ul>
 *   <li>{@link ReadThroughput}: authenticated {@code GET /v1/sandboxes/{id}} throughput with wrk (a second process on loopback,
 *       sharing the machine's cores), beside two answers of the same server without authentication
 *       ({@code /actuator/health/ping} and the static {@code /v1/openapi.json}) and the same read straight
 *       from sandbox-service;</li>
 *   <li>{@link IdempotentReplay}: idempotent replay latency p50, beside the same sequential client's plain GET;</li>
 *   <li>{@link StdoutStreaming}: stdout streamed end to end (node agent, gateway, SSE) in MB/s, for two producers
 *       (8 KiB and 128 KiB writes), beside the node
 *       agent's exec stream read directly and bare {@code runsc exec} of the same command.</li>
 *   <li>{@link FileTransfers}: a FILE_MB (100) file uploaded and downloaded through the files API (with the key, and through
 *       signed URLs) beside the node agent's own files endpoint, with the gateway's heap meanwhile.</li>
 *   <li>{@link FollowerRate}: a follower attached through the reattach route while a FOLLOW_MB (100) stream is
 *       live, its rate beside the first client's (target: at least 0.9x), and the first client alone;</li>
 *   <li>{@link SdkOverhead}: what the Java, TypeScript and Python SDKs add to a blocking run over raw HTTP.</li>
 * </ul>
 */
public final class ApiBench {
    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int streamMb = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int fileMb = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        int followMb = args.length > 4 ? Integer.parseInt(args[4]) : 100;
        Path envFile = Path.of(System.getProperty("crownest.env-file", ".crownest/env"));
        CrowNest api = SystemUnderTest.client(envFile);
        String sandboxServiceUrl = System.getProperty("crownest.sandbox-service-url");
        // Not the warm pool's shape (512 MB): a cold sandbox's runsc container has the sandbox's id, which
        // the bare-exec baseline names.
        RawResponse created = api.http()
                .send("POST", "/v1/sandboxes", Map.of("template", "base", "ttlMs", 1_800_000, "memoryMb", 1024));
        if (created.status() != 201) {
            throw new IllegalStateException("create failed: " + created.text());
        }
        String id = created.field("id");
        String tenant = System.getProperty("crownest.tenant", "default");
        try {
            // 0 for SECONDS, STREAM_MB, FILE_MB or FOLLOW_MB skips that part
            if (seconds > 0) {
                ReadThroughput.measure(api, sandboxServiceUrl, id, tenant, seconds, rounds);
                IdempotentReplay.measure(api, id);
                SdkOverhead.measure(api, id, 25 * rounds);
            }
            if (streamMb > 0) {
                StdoutStreaming.measure(api, id, streamMb, rounds);
            }
            if (followMb > 0) {
                FollowerRate.measure(api, id, followMb, rounds);
            }
            if (fileMb > 0) {
                FileTransfers.measure(api, id, fileMb);
            }
        } finally {
            api.http().send("DELETE", "/v1/sandboxes/" + id);
        }
    }

    private ApiBench() {}
}
