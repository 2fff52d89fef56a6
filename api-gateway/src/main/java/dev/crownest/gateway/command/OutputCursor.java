package dev.crownest.gateway.command;

import dev.crownest.contracts.event.CommandOutput;

/**
 * Where a reader of a command's output stands: the bytes of stdout and of stderr it has been given (or
 * told were not kept). Written as an event id, {@code <stdout>.<stderr>}, and read back from
 * {@code Last-Event-ID} by a reattach. Not thread-safe: one per stream of events.
 */
final class OutputCursor {
    private long stdout;
    private long stderr;

    private OutputCursor(long stdout, long stderr) {
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** A new cursor at the first byte of both streams. */
    static OutputCursor start() {
        return new OutputCursor(0, 0);
    }

    /**
     * The cursor an event id names; null for an id that is not one of ours (an old counter, garbage),
     * which the caller refuses.
     */
    static OutputCursor parse(String id) {
        if (id == null || id.isBlank()) {
            return start();
        }
        int dot = id.indexOf('.');
        if (dot < 1 || dot == id.length() - 1 || id.length() > 40) {
            return null;
        }
        try {
            long out = Long.parseLong(id, 0, dot, 10);
            long err = Long.parseLong(id, dot + 1, id.length(), 10);
            return out < 0 || err < 0 ? null : new OutputCursor(out, err);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    long stdout() {
        return stdout;
    }

    long stderr() {
        return stderr;
    }

    long at(String stream) {
        return CommandOutput.STDERR.equals(stream) ? stderr : stdout;
    }

    void advance(String stream, long bytes) {
        skipTo(stream, at(stream) + bytes);
    }

    /** The reader is now at {@code offset} of {@code stream} (never back). */
    void skipTo(String stream, long offset) {
        if (CommandOutput.STDERR.equals(stream)) {
            stderr = Math.max(stderr, offset);
        } else {
            stdout = Math.max(stdout, offset);
        }
    }

    String id() {
        return id(CommandOutput.STDOUT, 0);
    }

    /** The id with {@code pending} bytes of {@code stream} not yet given (part of a character). */
    String id(String stream, int pending) {
        boolean err = CommandOutput.STDERR.equals(stream);
        return (stdout - (err ? 0 : pending)) + "." + (stderr - (err ? pending : 0));
    }
}
