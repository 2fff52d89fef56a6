package dev.crownest.sandbox.eventstore;

/** What every event this service writes has in common. */
public final class Events {
    /** Version of the contracts' event shapes this service writes. */
    public static final int SCHEMA_VERSION = 1;

    private Events() {}
}
