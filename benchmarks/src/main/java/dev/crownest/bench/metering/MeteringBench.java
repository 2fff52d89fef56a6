package dev.crownest.bench.metering;

import dev.crownest.bench.Percentiles;
import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.QuotaEvent;
import dev.crownest.contracts.event.Topics;
import dev.crownest.contracts.event.UsageSampled;
import dev.crownest.sdk.CrowNest;
import dev.crownest.systemtest.HardCapKill;
import dev.crownest.systemtest.JsonEvents;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code ./crownest bench metering [SAMPLES] [KILLS] [AUDIT_EVENTS] [ROUNDS]}, against the running platform:
 * <ol>
 *   <li>usage samples per second from Kafka to rated rows in PostgreSQL (sustained: between 10 % and
 *       90 % of a backlog), beside a bare Kafka read and JSON parse of the same records, each round;</li>
 *   <li>hard-cap breach to kill: real sandboxes in projects capped at 2 compute_unit_seconds (KILLS 0:
 *       skipped, for a stack of PostgreSQL, Kafka, metering and audit alone); then as many credit stops,
 *       exhaustion to pause ({@link CreditStops});</li>
 *   <li>audit appends per second (quota warnings of a synthetic tenant, harmless to the rest), beside
 *       the bare read of the same records.</li>
 * </ol>
 * Throughput is taken ROUNDS times (default 3); the medians are printed with each round and the
 * machine's load average, since other work on the machine moves every figure.
 */
public final class MeteringBench {
    public static void main(String[] args) throws Exception {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
        int kills = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int auditEvents = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;

        // A first pass warms metering's JIT (a freshly started service meters at about half speed); not reported.
        throughput(Math.min(samples, 200_000));
        System.out.printf(
                "metering throughput (%,d samples: 1,000 sandboxes x %,d seconds, after a warm-up pass), %d rounds%n",
                samples, samples / 1000, rounds);
        Rounds metering = new Rounds("samples/s");
        for (int i = 0; i < rounds; i++) {
            metering.add(throughput(samples));
        }
        metering.printMedians("metered (Kafka -> PostgreSQL)");
        if (kills > 0) {
            System.out.printf(
                    "%nhard-cap breach to kill (%d sandboxes, each in a project capped at 2 compute_unit_seconds)%n",
                    kills);
            breachToKill(kills);
            System.out.printf(
                    "%ncredits exhausted to pause (%d tenants, each granted about 2 s of one sandbox)%n", kills);
            CreditStops.exhaustionToPause(kills);
        }
        if (auditEvents == 0) { // 0: metering alone
            return;
        }
        System.out.printf(
                "%naudit appends (%,d events of one synthetic tenant a round), %d rounds%n", auditEvents, rounds);
        audit(Math.min(auditEvents, 5_000)); // warm-up, not reported
        Rounds audit = new Rounds("events/s");
        for (int i = 0; i < rounds; i++) {
            audit.add(audit(auditEvents));
        }
        audit.printMedians("appended to the hash chain");
    }

    /**
     * One round's figure beside its baseline, and the load average at its end; what it cost in CPU per
     * record, in microseconds: the service's JVM, PostgreSQL, and the bare read.
     */
    private record Round(double rate, double bare, String load, double serviceCpu, double postgresCpu, double bareCpu) {
        static Round of(Rate rate, long[] cpuBefore, long[] cpuAfter, long records, BareRead.Read bare)
                throws Exception {
            return new Round(
                    rate.sustained(),
                    bare.perSecond(),
                    loadAverage(),
                    (cpuAfter[0] - cpuBefore[0]) / 1e3 / records,
                    (cpuAfter[1] - cpuBefore[1]) / 1e3 / records,
                    bare.cpuMicrosPerRecord());
        }

        double ratio() {
            return rate / bare;
        }
    }

    private static final class Rounds {
        private final String unit;
        private final List<Round> all = new ArrayList<>();

        Rounds(String unit) {
            this.unit = unit;
        }

        void add(Round round) {
            all.add(round);
            System.out.printf(
                    "  round %d: %,9.0f %s sustained, bare Kafka read + JSON parse %,9.0f records/s -> %.2fx   (load average %s)%n",
                    all.size(), round.rate(), unit, round.bare(), round.ratio(), round.load());
            System.out.printf(
                    "           CPU per record: service %.1f us + PostgreSQL %.1f us = %.1f us; bare read %.1f us -> %.2fx of its cost%n",
                    round.serviceCpu(),
                    round.postgresCpu(),
                    round.serviceCpu() + round.postgresCpu(),
                    round.bareCpu(),
                    (round.serviceCpu() + round.postgresCpu()) / round.bareCpu());
        }

        void printMedians(String figure) {
            System.out.printf(
                    "  median of %d: %s %,.0f %s, bare read %,.0f records/s, ratio %.2fx%n",
                    all.size(),
                    figure,
                    median(all.stream().map(Round::rate).toList()),
                    unit,
                    median(all.stream().map(Round::bare).toList()),
                    median(all.stream().map(Round::ratio).toList()));
            System.out.printf(
                    "  median CPU per record: service %.1f us + PostgreSQL %.1f us; bare read %.1f us%n",
                    median(all.stream().map(Round::serviceCpu).toList()),
                    median(all.stream().map(Round::postgresCpu).toList()),
                    median(all.stream().map(Round::bareCpu).toList()));
        }

        private static double median(List<Double> values) {
            Percentiles p = new Percentiles();
            values.forEach(p::addMillis);
            return p.p(50);
        }
    }

    private static Round throughput(int samples) throws Exception {
        String tenant = "t_bench_" + UUID.randomUUID().toString().substring(0, 8);
        long base = Instant.now().getEpochSecond() - 86_400;
        Map<TopicPartition, Long> from = BareRead.ends(SystemUnderTest.kafka(), Topics.USAGE_SAMPLES);
        // Metering is held (SIGSTOP) while the backlog is published, so what is measured is metering
        // and not this producer; it resumes (SIGCONT) with the whole backlog waiting in Kafka.
        String meteringPid = pid("metering-service");
        signal("STOP", meteringPid);
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
        Map<TopicPartition, Long> to = BareRead.ends(SystemUnderTest.kafka(), Topics.USAGE_SAMPLES);
        CpuUse cpu = new CpuUse(Path.of(SystemUnderTest.env("CROWNEST_HOME")), "metering-service");
        long[] cpuBefore = cpu.now();
        signal("CONT", meteringPid);
        Rate metered;
        try (Connection probe = SystemUnderTest.database("crownest_metering")) {
            metered = Rate.follow(
                    samples,
                    () -> count(probe, "SELECT coalesce(sum(seconds), 0) FROM usage_hour WHERE tenant_id = ?", tenant));
        }
        long[] cpuAfter = cpu.now();
        try (Connection db = SystemUnderTest.database("crownest_metering");
                var statement = db.prepareStatement(
                        "SELECT sum(compute_unit_seconds), sum(amount_usd) FROM usage_hour WHERE tenant_id = ?")) {
            statement.setString(1, tenant);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                BigDecimal expectedUsd = new BigDecimal("0.0000333333").multiply(BigDecimal.valueOf(samples));
                if (rs.getBigDecimal(1).compareTo(BigDecimal.valueOf(samples)) != 0
                        || rs.getBigDecimal(2).compareTo(expectedUsd) != 0) {
                    throw new IllegalStateException("metered " + rs.getBigDecimal(1) + " compute_unit_seconds, $"
                            + rs.getBigDecimal(2) + "; expected " + samples + " and $" + expectedUsd);
                }
            }
        }
        // the same records read bare from Kafka, as the ceiling any consumer has on this machine
        BareRead.Read bare = BareRead.read(SystemUnderTest.kafka(), from, to);
        return Round.of(metered, cpuBefore, cpuAfter, samples, bare);
    }

    private static void breachToKill(int kills) throws Exception {
        CrowNest tenant = SystemUnderTest.client();
        CrowNest operator = SystemUnderTest.operator();
        Percentiles killed = new Percentiles();
        Percentiles stopped = new Percentiles();
        Percentiles detection = new Percentiles();
        try (TopicTail events =
                TopicTail.fromNow(SystemUnderTest.kafka(), Topics.QUOTA_EVENTS, Topics.SANDBOX_EVENTS)) {
            for (int i = 0; i < kills; i++) {
                String project = SystemUnderTest.createProject(
                        "default", "capbench-" + UUID.randomUUID().toString().substring(0, 8));
                var quota = operator.http()
                        .send(
                                "PUT",
                                "/v1/quotas?tenantId=default&projectId=" + project,
                                Map.of("hardCapComputeUnitSeconds", 2));
                if (quota.status() != 200) {
                    throw new IllegalStateException("quota refused: " + quota.text());
                }
                var created =
                        tenant.http().send("POST", "/v1/sandboxes", Map.of("template", "base", "projectId", project));
                if (created.status() != 201) {
                    throw new IllegalStateException("create refused: " + created.text());
                }
                HardCapKill kill = HardCapKill.await(events, project, created.field("id"), Duration.ofSeconds(30));
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

    private static Round audit(int events) throws Exception {
        String tenant = "t_auditbench_" + UUID.randomUUID().toString().substring(0, 8);
        Map<TopicPartition, Long> from = BareRead.ends(SystemUnderTest.kafka(), Topics.QUOTA_EVENTS);
        String auditPid = pid("audit-service");
        signal("STOP", auditPid); // held while the backlog is published, as metering is above
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
        Map<TopicPartition, Long> to = BareRead.ends(SystemUnderTest.kafka(), Topics.QUOTA_EVENTS);
        CpuUse cpu = new CpuUse(Path.of(SystemUnderTest.env("CROWNEST_HOME")), "audit-service");
        long[] cpuBefore = cpu.now();
        signal("CONT", auditPid);
        Rate appended;
        try (Connection probe = SystemUnderTest.database("crownest_audit")) {
            // the chain head's seq is the tenant's event count, read in O(1): a count(*) every 50 ms
            // cost PostgreSQL more as the log grew, and was charged to audit's figure
            appended = Rate.follow(
                    events, () -> count(probe, "SELECT seq FROM audit_chain_head WHERE tenant_id = ?", tenant));
        }
        long[] cpuAfter = cpu.now();
        BareRead.Read bare = BareRead.read(SystemUnderTest.kafka(), from, to);
        return Round.of(appended, cpuBefore, cpuAfter, events, bare);
    }

    private static String pid(String service) throws Exception {
        return Files.readString(Path.of(SystemUnderTest.env("CROWNEST_HOME"), "pids", service + ".pid"))
                .trim();
    }

    /** The 1, 5 and 15 minute load averages. */
    private static String loadAverage() throws Exception {
        String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return fields[0] + " " + fields[1] + " " + fields[2];
    }

    private static void signal(String signal, String pid) throws Exception {
        if (new ProcessBuilder("kill", "-" + signal, pid).inheritIO().start().waitFor() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
        }
    }

    /** A progress count on one connection held for the round: a new connection per poll is a new PostgreSQL backend. */
    private static long count(Connection db, String sql, String tenant) {
        try (var statement = db.prepareStatement(sql)) {
            statement.setString(1, tenant);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
