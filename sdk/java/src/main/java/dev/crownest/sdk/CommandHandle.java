package dev.crownest.sdk;

/** A command running in the background: {@link #waitFor()} its result, {@link #kill()} to cancel it. */
public final class CommandHandle {

    private final Commands commands;
    private volatile CommandRecord record;

    CommandHandle(Commands commands, CommandRecord record) {
        this.commands = commands;
        this.record = record;
    }

    /** The command's id ({@code cmd_...}). */
    public String id() {
        return record.id();
    }

    /** The record as last read. */
    public CommandRecord record() {
        return record;
    }

    /** Waits until the command exits and answers its result (the record's kept output). */
    public CommandResult waitFor() {
        record = commands.awaitFinished(record);
        return CommandResult.of(record);
    }

    /** Cancels the command. */
    public CommandRecord kill() {
        return commands.cancel(id());
    }
}
