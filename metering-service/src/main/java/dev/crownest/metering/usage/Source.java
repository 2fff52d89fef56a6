package dev.crownest.metering.usage;

/** Who saw the seconds being metered: the node's samples, or a running interval that closed. */
enum Source {
    NODE,
    INTERVAL
}
