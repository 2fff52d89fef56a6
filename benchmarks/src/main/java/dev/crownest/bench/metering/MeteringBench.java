package dev.crownest.bench.metering;

import dev.crownest.bench.Percentiles;
import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.QuotaEvent;
import dev.crownest.contracts.event.Topics;
import dev.crownest.contracts.event.UsageSampled;
import dev.crownest.systemtest.HardCapKill;
import dev.crownest.systemtest.JsonEvents;
import dev.crownest.systemtest.PlatformClient;
import dev.crownest.systemtest.SystemUnderTest;
import dev.crownest.systemtest.TopicTail;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code ./crownest bench metering [SAMPLES] [KILLS] [AUDIT_EVENTS]}, against the running platform:
 * <ol>
 *   <li>usage samples per second from Kafka to rated rows in PostgreSQL (sustained: between 10 % and
 *       90 % of a backlog), beside a bare Kafka read of the same records in the same run;</li>
 *   <li>hard-cap breach to kill: real sandboxes in projects capped at 2 compute_unit_seconds;</li>
 *   <li>audit appends per second (quota warnings of a synthetic tenant, harmless to the rest).</li>
 * </ol>
 */
public final class MeteringBench {
    public static void main(String[] args) throws Exception {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
        int kills = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int auditEvents = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;

        // A first pass warms metering's JIT (a freshly started service meters at about half speed); not reported.
        throughput(Math.min(samples, 200_000), false);
        System.out.printf(
                "metering throughput (%,d samples: 1,000 sandboxes x %,d seconds, after a warm-up pass)%n",
                samples, samples / 1000);
        throughput(samples, true);
        System.out.printf(
                "%nhard-cap breach to kill (%d sandboxes, each in a project capped at 2 compute_unit_seconds)%n",
                kills);
        breachToKill(kills);
        System.out.printf("%naudit appends (%,d events of one synthetic tenant)%n", auditEvents);
        audit(auditEvents);
    }

    private static void throughput(int samples, boolean report) throws Exception {
        String tenant = "t_bench_" + UUID.randomUUID().toString().substring(0, 8);
        long base = Instant.now().getEpochSecond() - 86_400;
        // Metering is held (SIGSTOP) while the backlog is published, so what is measured is metering
        // and not this producer; it resumes (SIGCONT) with the whole backlog waiting in Kafka.
        String meteringPid = Files.readString(
                        Path.of(SystemUnderTest.env("CROWNEST_HOME"), "pids", "metering-service.pid"))
                .trim();
        signal("STOP", meteringPid);
        long start = System.nanoTime();
        try (KafkaProducer<String, PlatformEvent> producer = JsonEvents.producer(SystemUnderTest.kafka())) {
            for (int i = 0; i < samples; i++) {
                String sandbox = tenant + "_" + (i % 1000);
                long second = base + i / 1000;
                UUID id = UUID.nameUUIDFromBytes((sandbox + ":" + second).getBytes(StandardCharsets.UTF_8));
                producer.send(new ProducerRecord<>(
                        Topics.USAGE_SAMPLES,
                        sandbox,
                        new UsageSampled(
                                id,
                                tenant,
                                Instant.now(),
                                1,
                                sandbox,
                                "prj_bench",
                                "node-bench",
                                second,
                                1,
                                2048,
                                0,
                                0)));
            }
        }
        double produced = (System.nanoTime() - start) / 1e9;
        if (!report) {
            signal("CONT", meteringPid);
            Rate.follow(
                    samples,
                    () -> count(
                            "crownest_metering",
                            "SELECT coalesce(sum(seconds), 0) FROM usage_hour WHERE tenant_id = ?",
                            tenant));
            return;
        }
        System.out.printf(
                "  published to Kafka:            %,.0f samples/s (%.2f s), metering held meanwhile%n",
                samples / produced, produced);
        start = System.nanoTime();
        signal("CONT", meteringPid);
        Rate metered = Rate.follow(
                samples,
                () -> count(
                        "crownest_metering",
                        "SELECT coalesce(sum(seconds), 0) FROM usage_hour WHERE tenant_id = ?",
                        tenant));
        System.out.printf(
                "  metered (Kafka -> PostgreSQL): %,.0f samples/s sustained (10%%-90%%), %,.0f overall, all in %.2f s after it resumed%n",
                metered.sustained(), metered.overall(), (metered.doneNanos() - start) / 1e9);
        try (Connection db = SystemUnderTest.database("crownest_metering");
                ResultSet rs = db.createStatement()
                        .executeQuery(
                                "SELECT sum(compute_unit_seconds), sum(amount_usd) FROM usage_hour WHERE tenant_id = '"
                                        + tenant + "'")) {
            rs.next();
            System.out.printf(
                    "  totals: %s compute_unit_seconds, $%s (expected %d and $%s)%n",
                    rs.getBigDecimal(1).stripTrailingZeros().toPlainString(),
                    rs.getBigDecimal(2).toPlainString(),
                    samples,
                    new BigDecimal("0.0000333333")
                            .multiply(BigDecimal.valueOf(samples))
                            .toPlainString());
        }
        // the same records read bare from Kafka, as the ceiling any consumer has on this machine
        long readStart = System.nanoTime();
        long read = 0;
        try (TopicTail all = TopicTail.fromBeginning(SystemUnderTest.kafka(), Topics.USAGE_SAMPLES)) {
            for (var batch = all.poll(Duration.ofSeconds(1));
                    !batch.isEmpty();
                    batch = all.poll(Duration.ofSeconds(1))) {
                read += batch.size();
            }
        }
        double readSeconds = (System.nanoTime() - readStart) / 1e9 - 1; // minus the final empty poll
        System.out.printf(
                "  bare Kafka read + JSON parse:  %,.0f records/s (%,d records, the whole topic)  -> metering at %.2fx of it%n",
                read / readSeconds, read, metered.sustained() / (read / readSeconds));
    }

    private static void breachToKill(int kills) throws Exception {
        PlatformClient tenant = SystemUnderTest.client();
        PlatformClient operator = SystemUnderTest.operator();
        Percentiles killed = new Percentiles();
        Percentiles stopped = new Percentiles();
        Percentiles detection = new Percentiles();
        try (TopicTail events =
                TopicTail.fromNow(SystemUnderTest.kafka(), Topics.QUOTA_EVENTS, Topics.SANDBOX_EVENTS)) {
            for (int i = 0; i < kills; i++) {
                String project = operator.createProject(
                        "default", "capbench-" + UUID.randomUUID().toString().substring(0, 8));
                var quota = operator.put(
                        "/v1/quotas?tenantId=default&projectId=" + project, Map.of("hardCapComputeUnitSeconds", 2));
                if (quota.status() != 200) {
                    throw new IllegalStateException("quota refused: " + quota.raw());
                }
                var created = tenant.post("/v1/sandboxes", Map.of("template", "base", "projectId", project));
                if (created.status() != 201) {
                    throw new IllegalStateException("create refused: " + created.raw());
                }
                HardCapKill kill = HardCapKill.await(events, project, created.text("id"), Duration.ofSeconds(30));
                killed.addMillis(kill.breachToKilledMs());
                stopped.addMillis(kill.breachToStoppedMs());
                // from the end of the second whose usage crossed the cap to the breach decision
                detection.addMillis(Duration.between(
                                Instant.ofEpochSecond(
                                        kill.breach().path("breachSecond").asLong() + 1),
                                kill.breachAt())
                        .toMillis());
            }
        }
        System.out.printf(
                "  %-52s p50 %6.0f ms   p99 %6.0f ms%n",
                "crossing second over -> HardCapBreached (detection)", detection.p(50), detection.p(99));
        System.out.printf(
                "  %-52s p50 %6.0f ms   p99 %6.0f ms%n",
                "HardCapBreached -> SandboxKilled (control plane)", killed.p(50), killed.p(99));
        System.out.printf(
                "  %-52s p50 %6.0f ms   p99 %6.0f ms%n",
                "HardCapBreached -> gVisor sandbox process gone", stopped.p(50), stopped.p(99));
    }

    private static void audit(int events) throws Exception {
        String tenant = "t_auditbench_" + UUID.randomUUID().toString().substring(0, 8);
        String auditPid = Files.readString(Path.of(SystemUnderTest.env("CROWNEST_HOME"), "pids", "audit-service.pid"))
                .trim();
        signal("STOP", auditPid); // held while the backlog is published, as metering is above
        long start = System.nanoTime();
        try (KafkaProducer<String, PlatformEvent> producer = JsonEvents.producer(SystemUnderTest.kafka())) {
            for (int i = 0; i < events; i++) {
                producer.send(new ProducerRecord<>(
                        Topics.QUOTA_EVENTS,
                        tenant,
                        new QuotaEvent.QuotaWarningReached(
                                UUID.randomUUID(),
                                tenant,
                                Instant.now(),
                                1,
                                "prj_" + (i % 10),
                                "computeUnitSeconds",
                                BigDecimal.valueOf(i),
                                BigDecimal.TEN,
                                "2026-11-01")));
            }
        }
        start = System.nanoTime();
        signal("CONT", auditPid);
        Rate appended = Rate.follow(
                events, () -> count("crownest_audit", "SELECT count(*) FROM audit_event WHERE tenant_id = ?", tenant));
        System.out.printf(
                "  appended to the hash chain:    %,.0f events/s sustained (10%%-90%%), %,.0f overall, all in %.2f s after it resumed%n",
                appended.sustained(), appended.overall(), (appended.doneNanos() - start) / 1e9);
    }

    private static void signal(String signal, String pid) throws Exception {
        if (new ProcessBuilder("kill", "-" + signal, pid).inheritIO().start().waitFor() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
        }
    }

    private static long count(String database, String sql, String tenant) {
        try (Connection db = SystemUnderTest.database(database);
                var statement = db.prepareStatement(sql)) {
            statement.setString(1, tenant);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Progress of a count towards {@code total}, polled every 50 ms. */
    private record Rate(double sustained, double overall, long doneNanos) {
        static Rate follow(long total, LongSupplier count) throws InterruptedException {
            long firstAt = 0;
            long tenAt = 0;
            long ninetyAt = 0;
            long lastProgress = System.nanoTime();
            long seen = 0;
            while (true) {
                long now = System.nanoTime();
                long n = count.getAsLong();
                if (n > seen) {
                    seen = n;
                    lastProgress = now;
                }
                if (firstAt == 0 && n > 0) {
                    firstAt = now;
                }
                if (tenAt == 0 && n >= total / 10) {
                    tenAt = now;
                }
                if (ninetyAt == 0 && n >= total * 9 / 10) {
                    ninetyAt = now;
                }
                if (n >= total) {
                    double sustained = (total * 0.8) / ((ninetyAt - tenAt) / 1e9);
                    return new Rate(sustained, total / ((now - firstAt) / 1e9), now);
                }
                if (now - lastProgress > Duration.ofSeconds(60).toNanos()) {
                    throw new IllegalStateException("stalled at " + n + " of " + total);
                }
                Thread.sleep(50);
            }
        }
    }
}
