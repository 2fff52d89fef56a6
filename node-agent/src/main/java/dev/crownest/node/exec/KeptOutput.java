package dev.crownest.node.exec;

import dev.crownest.nodeclient.protocol.ExecChunk;
import dev.crownest.nodeclient.protocol.OutputGap;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * What a command wrote, kept for a reader that attaches late (a reattach): the last {@code capPerStream}
 * bytes of each stream, in the order written, each stream's byte count so far, and the exit once there.
 * Readers name where they are by the byte offsets of stdout and stderr; what they ask for that is no
 * longer kept is a {@link OutputGap}, never silently missing.
 *
 * <p>Not thread-safe: its {@link RunningCommand} guards it.
 */
final class KeptOutput {
    /** A piece of {@code stream} that starts at byte {@code offset} of it; {@code seq} orders pieces of both streams. */
    record Piece(String stream, long offset, long seq, byte[] data) {}

    private final long capPerStream;
    private final Stream stdout = new Stream("stdout");
    private final Stream stderr = new Stream("stderr");
    private long seq;
    private ExecChunk exit;

    KeptOutput(long capPerStream) {
        this.capPerStream = capPerStream;
    }

    void append(String stream, byte[] data) {
        if (data.length > 0) {
            of(stream).append(data, seq++);
        }
    }

    void exit(ExecChunk exit) {
        this.exit = exit;
    }

    /**
     * What a reader at {@code stdoutFrom} and {@code stderrFrom} has not seen: its gaps first, then the kept
     * pieces in the order they were written (each cut to start where the reader is), then the exit if the
     * command has exited.
     */
    List<Object> since(long stdoutFrom, long stderrFrom) {
        List<Object> items = new ArrayList<>();
        stdout.gap(stdoutFrom).ifPresent(items::add);
        stderr.gap(stderrFrom).ifPresent(items::add);
        List<Piece> pieces = new ArrayList<>();
        stdout.after(stdoutFrom, pieces);
        stderr.after(stderrFrom, pieces);
        pieces.sort((a, b) -> Long.compare(a.seq(), b.seq()));
        items.addAll(pieces);
        if (exit != null) {
            items.add(exit);
        }
        return items;
    }

    private Stream of(String stream) {
        return "stderr".equals(stream) ? stderr : stdout;
    }

    /** One stream's kept tail. */
    private final class Stream {
        private final String name;
        private final Deque<Piece> pieces = new ArrayDeque<>();
        private long total;
        private long kept;

        Stream(String name) {
            this.name = name;
        }

        void append(byte[] data, long seq) {
            pieces.addLast(new Piece(name, total, seq, data));
            total += data.length;
            kept += data.length;
            while (kept - pieces.peekFirst().data().length >= capPerStream) {
                kept -= pieces.removeFirst().data().length;
            }
        }

        /** The first byte still kept; everything before it was dropped. */
        long keptFrom() {
            return total - kept;
        }

        Optional<OutputGap> gap(long from) {
            return from < keptFrom() ? Optional.of(new OutputGap(name, from, keptFrom())) : Optional.empty();
        }

        void after(long from, List<Piece> into) {
            for (Piece piece : pieces) {
                long end = piece.offset() + piece.data().length;
                if (end <= from) {
                    continue;
                }
                int skip = (int) Math.max(0, from - piece.offset());
                into.add(
                        skip == 0
                                ? piece
                                : new Piece(
                                        name,
                                        piece.offset() + skip,
                                        piece.seq(),
                                        Arrays.copyOfRange(piece.data(), skip, piece.data().length)));
            }
        }
    }
}
