package dev.crownest.node.facts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.crownest.contracts.event.CommandFact;
import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.node.NodeProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The node's durable outbox of command facts ({@link CommandFact}), in {@code <state-dir>/command-facts}:
 * one small file per fact, {@code <seq>-<commandId>.<accepted|exited>.json}, written under a temporary
 * name, fsynced, renamed and the directory fsynced before {@link #accepted} or {@link #exited} returns,
 * so a fact the caller heard of survives a {@code kill -9} and a power cut. The {@link FactRelay} sends
 * the pending ones to Kafka in order and marks each only after the broker acknowledged it: an accepted
 * fact becomes {@code .sent} (kept as the sign that its command started here), an exit is deleted
 * together with its command's accepted mark.
 *
 * <p>At start, a command with an accepted mark and no exit ran when the node agent died; its run is
 * lost with the agent's connection to it, so it is given an exit ({@value #LOST_EXIT}) here: every
 * accepted command gets exactly one exit.
 */
@Component
public class FactOutbox {
    /** The exit code of a command whose node agent died while it ran, as the worker's "could not run". */
    public static final int LOST_EXIT = 125;

    private static final Logger log = LoggerFactory.getLogger(FactOutbox.class);
    private static final Pattern NAME =
            Pattern.compile("(\\d{20})-([A-Za-z0-9_-]{1,128})\\.(accepted|exited)\\.(json|sent)");
    private static final Pattern COMMAND_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final int SCHEMA_VERSION = 1;

    private final Path dir;
    private final String nodeId;
    private final Clock clock;
    private final ObjectWriter writer;
    private final ObjectReader reader;
    private final AtomicLong seq = new AtomicLong();
    /** Permits for the relay: one per fact written since it last looked. */
    private final Semaphore written = new Semaphore(0);
    /** The accepted mark of each command, until its exit is relayed. */
    private final Map<String, Path> acceptedMarks = new ConcurrentHashMap<>();

    public FactOutbox(NodeProperties node, ObjectMapper json, Clock clock) throws IOException {
        this.dir = node.stateDir().resolve("command-facts");
        this.nodeId = node.id();
        this.clock = clock;
        this.writer = json.writerFor(PlatformEvent.class);
        this.reader = json.readerFor(PlatformEvent.class);
        Files.createDirectories(dir);
        recover();
    }

    /** A pending fact: its file and what it says. */
    public record Pending(Path file, CommandFact fact) {}

    /** Whether a command id can name a file here (the gateway's ids always can). */
    public static boolean validCommandId(String commandId) {
        return commandId != null && COMMAND_ID.matcher(commandId).matches();
    }

    /** Writes the start of a command durably; call before it starts. */
    public void accepted(CommandFact.Run run) throws IOException {
        append(
                new CommandFact.CommandAccepted(UUID.randomUUID(), clock.instant(), SCHEMA_VERSION, nodeId, run),
                "accepted");
    }

    /** Writes the exit of a command durably; call before the exit is told to anyone. */
    public void exited(CommandFact.CommandExited exit) throws IOException {
        append(exit, "exited");
    }

    /** An exit fact of this node, stamped now. */
    public CommandFact.CommandExited exit(
            CommandFact.Run run,
            int exitCode,
            String stdout,
            String stderr,
            long stdoutBytes,
            long stderrBytes,
            boolean truncated,
            boolean timedOut,
            boolean cancelled,
            Instant startedAt,
            Instant finishedAt) {
        return new CommandFact.CommandExited(
                UUID.randomUUID(),
                clock.instant(),
                SCHEMA_VERSION,
                nodeId,
                run,
                exitCode,
                stdout,
                stderr,
                stdoutBytes,
                stderrBytes,
                truncated,
                timedOut,
                cancelled,
                startedAt,
                finishedAt);
    }

    /** The facts not yet relayed, oldest first. */
    public List<Pending> pending() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".json"))
                    .filter(file -> NAME.matcher(file.getFileName().toString()).matches())
                    .sorted()
                    .map(this::read)
                    .filter(pending -> pending != null)
                    .toList();
        }
    }

    /** The broker acknowledged this fact: it is never sent again. */
    public void relayed(Pending pending) throws IOException {
        String commandId = pending.fact().run().commandId();
        if (pending.fact() instanceof CommandFact.CommandExited) {
            Files.deleteIfExists(pending.file());
            Path mark = acceptedMarks.remove(commandId);
            if (mark != null) {
                Files.deleteIfExists(mark);
            }
        } else {
            Path mark = pending.file()
                    .resolveSibling(pending.file().getFileName().toString().replace(".json", ".sent"));
            Files.move(pending.file(), mark, StandardCopyOption.ATOMIC_MOVE);
            acceptedMarks.put(commandId, mark);
        }
    }

    /** Waits up to {@code millis} for a fact to be written; true if one was. */
    boolean awaitWritten(long millis) throws InterruptedException {
        boolean any = written.tryAcquire(millis, TimeUnit.MILLISECONDS);
        written.drainPermits();
        return any;
    }

    private void append(CommandFact fact, String kind) throws IOException {
        String commandId = fact.run().commandId();
        if (!validCommandId(commandId)) {
            throw new IllegalArgumentException("command id must be 1-128 of [A-Za-z0-9_-]");
        }
        String name = "%020d-%s.%s".formatted(seq.incrementAndGet(), commandId, kind);
        Path target = dir.resolve(name + ".json");
        Path temporary = dir.resolve(name + ".tmp");
        try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer bytes = ByteBuffer.wrap(writer.writeValueAsBytes(fact));
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
            out.force(true);
        }
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        // the rename is durable only once the directory is
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true);
        }
        if (fact instanceof CommandFact.CommandAccepted) {
            acceptedMarks.put(commandId, target);
        }
        written.release();
    }

    private Pending read(Path file) {
        try {
            return new Pending(file, (CommandFact) reader.readValue(Files.readAllBytes(file)));
        } catch (IOException e) {
            // gone meanwhile (relayed), or never whole: a fact is renamed into place only once fsynced
            log.warn("command fact {} could not be read: {}", file.getFileName(), e.getMessage());
            return null;
        } catch (ClassCastException e) {
            throw new UncheckedIOException(new IOException("not a command fact: " + file));
        }
    }

    /** Numbers on after the files left; gives every command accepted and never exited its lost exit. */
    private void recover() throws IOException {
        Map<String, Path> accepted = new ConcurrentHashMap<>();
        Map<String, Boolean> exited = new ConcurrentHashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".tmp")) {
                    Files.deleteIfExists(file); // never renamed into place: never acknowledged
                    continue;
                }
                Matcher m = NAME.matcher(name);
                if (!m.matches()) {
                    continue;
                }
                seq.accumulateAndGet(Long.parseLong(m.group(1)), Math::max);
                if ("accepted".equals(m.group(3))) {
                    accepted.put(m.group(2), file);
                } else {
                    exited.put(m.group(2), true);
                }
            }
        }
        for (Map.Entry<String, Path> entry : accepted.entrySet()) {
            acceptedMarks.put(entry.getKey(), entry.getValue());
            if (exited.containsKey(entry.getKey())) {
                continue;
            }
            CommandFact fact = (CommandFact) reader.readValue(Files.readAllBytes(entry.getValue()));
            Instant now = clock.instant();
            exited(exit(
                    fact.run(),
                    LOST_EXIT,
                    "",
                    "crownest: the node agent restarted while the command ran; its end was not seen\n",
                    0,
                    0,
                    false,
                    false,
                    false,
                    fact.occurredAt(),
                    now));
            log.info("command {} was running when the node agent stopped: recorded as lost", entry.getKey());
        }
    }
}
