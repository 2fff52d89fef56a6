package dev.crownest.contracts.node;

/**
 * A change of a sandbox that its node carries out after the control plane recorded it. The execution
 * worker asks the node for it (node-client's {@code NodePaths} has the node's path of each) and reports
 * the outcome to sandbox-service at {@code POST /internal/reports/sandboxes/{id}/}{@link #report()},
 * where the caller that asked for the change waits for that report.
 */
public enum SandboxChange {
    /** Checkpoint to an image; its seconds stop. */
    PAUSE("paused"),
    /** Restore from the image. */
    RESUME("resumed"),
    /** Move the node's own TTL deadline. */
    EXTEND_TTL("ttl-extended");

    private final String report;

    SandboxChange(String report) {
        this.report = report;
    }

    /** The report's path segment: {@code paused}, {@code resumed}, {@code ttl-extended}. */
    public String report() {
        return report;
    }

    /** The change a report's path segment names, or null for none. */
    public static SandboxChange ofReport(String report) {
        for (SandboxChange change : values()) {
            if (change.report.equals(report)) {
                return change;
            }
        }
        return null;
    }
}
