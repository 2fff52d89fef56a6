package dev.crownest.contracts.event;

/** Kafka topic names. Every service reads these constants; nobody spells a topic by hand. */
public final class Topics {
    /** {@link SandboxEvent}s, keyed by sandbox id. */
    public static final String SANDBOX_EVENTS = "sandbox-events";
    /** {@link CommandEvent}s, keyed by sandbox id so a sandbox's commands stay in order. */
    public static final String COMMAND_EVENTS = "command-events";
    /**
     * The identity stream: {@link KeyEvent}s keyed by key id, {@link TenantEvent}s (tenants and their admin
     * sessions) and {@link ProjectEvent}s keyed by tenant id. The gateway replays it from the start to
     * build its cache of credentials.
     */
    public static final String KEY_EVENTS = "key-events";
    /** {@link UsageSampled}, one per running sandbox per second, keyed by sandbox id. */
    public static final String USAGE_SAMPLES = "usage-samples";
    /** {@link UsageRated}, published by metering for billing, keyed by tenant id. */
    public static final String RATED_USAGE = "rated-usage";
    /** {@link NodeHeartbeat}, keyed by node id. */
    public static final String NODE_HEARTBEATS = "node-heartbeats";
    /** What nodes find out on their own: {@link SandboxDiedOnNode}, keyed by sandbox id. */
    public static final String NODE_EVENTS = "node-events";
    /** {@link CommandOutput} chunks of running commands, keyed by command id; transient (short retention). */
    public static final String COMMAND_OUTPUT = "command-output";

    /**
     * {@link CommandFact}s of the commands gateways ran on nodes directly, keyed by sandbox id: node agents'
     * outboxes → sandbox-service, which records them as {@link CommandEvent}s.
     */
    public static final String COMMAND_FACTS = "command-facts";

    /** {@link QuotaEvent}s of metering, keyed by tenant id; a breached hard cap kills the bucket's sandboxes. */
    public static final String QUOTA_EVENTS = "quota-events";
    /** {@link InvoiceEvent}s and {@link CreditEvent}s of billing, keyed by tenant id. */
    public static final String BILLING_EVENTS = "billing-events";
    /** {@link TemplateEvent}s (custom templates: requested, built, failed, deleted), keyed by template id. */
    public static final String TEMPLATE_EVENTS = "template-events";
    /** {@link SandboxFilesChanged}, published by gateways, keyed by sandbox id: for the audit log. */
    public static final String FILE_EVENTS = "file-events";
    /** {@link SandboxPtyChanged}, published by the gateway holding the terminal, keyed by sandbox id: for the audit log. */
    public static final String TERMINAL_EVENTS = "terminal-events";
    /** {@link EgressDenied}, published by node agents, keyed by sandbox id: for the audit log. */
    public static final String EGRESS_EVENTS = "egress-events";

    /**
     * Topics whose events the audit log records: every decision about a tenant's resources and money.
     * The per-second streams (samples, rated usage, output, heartbeats) stay in metering's and
     * billing's own append-only tables instead of the hash chain.
     */
    public static final String[] AUDITED = {
        SANDBOX_EVENTS,
        COMMAND_EVENTS,
        KEY_EVENTS,
        QUOTA_EVENTS,
        BILLING_EVENTS,
        FILE_EVENTS,
        TERMINAL_EVENTS,
        TEMPLATE_EVENTS,
        EGRESS_EVENTS
    };

    private Topics() {}
}
