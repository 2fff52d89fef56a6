package dev.crownest.nodeclient.protocol;

/**
 * The paths of the node agent's HTTP API (docs/services.md, "node-agent"), as URI templates: the node
 * agent maps its controllers on them and {@code NodeClient} expands them, so the two cannot drift apart.
 * Variables: {@code {id}} a sandbox id, {@code {commandId}} a command id.
 */
public final class NodePaths {
    /** {@code POST}: start a sandbox ({@link NodeSandboxSpec}); {@code GET}: the sandboxes of this node. */
    public static final String SANDBOXES = "/node/v1/sandboxes";
    /** {@code DELETE}: stop a sandbox. */
    public static final String SANDBOX = SANDBOXES + "/{id}";
    /** {@code POST} {@link NodePause}: checkpoint a sandbox to an image, its snapshot. */
    public static final String PAUSE = SANDBOX + "/pause";
    /** {@code POST} {@link NodeResume}: restore a paused sandbox from its image. */
    public static final String RESUME = SANDBOX + "/resume";
    /** {@code POST} {@link NodeFork}: start a new sandbox from the snapshot the paused sandbox {@code id} is at. */
    public static final String FORK = SANDBOX + "/fork";
    /** {@code POST} {@link TtlChange}: move the node's TTL deadline. */
    public static final String TTL = SANDBOX + "/ttl";
    /** {@code POST} {@link ExecRequest}: run a command, answered as its output stream. */
    public static final String EXEC = SANDBOX + "/exec";
    /** {@code GET}: watch a command's output ({@link ExecFrames}). */
    public static final String EXEC_OUTPUT = EXEC + "/{commandId}/output";
    /** {@code POST}: kill a running command's process group. */
    public static final String EXEC_CANCEL = EXEC + "/{commandId}/cancel";
    /**
     * {@code GET} (a WebSocket): a terminal inside the sandbox, {@code ?cols=&rows=} and an optional
     * {@code command} ({@link TerminalFrames}).
     */
    public static final String PTY = SANDBOX + "/pty";
    /** {@code GET} read, {@code PUT} write, {@code DELETE} a file of /workspace ({@code ?path=}). */
    public static final String FILES = SANDBOX + "/files";
    /** {@code GET}: a directory's entries ({@code ?path=}). */
    public static final String FILES_LIST = FILES + "/list";
    /** {@code POST}: make a directory ({@code ?path=}). */
    public static final String FILES_MKDIR = FILES + "/mkdir";
    /** {@code POST}: move a file or directory ({@code ?from=&to=}). */
    public static final String FILES_MOVE = FILES + "/move";
    /** {@code GET}: per template, the warm pool's ready sandboxes and size. */
    public static final String WARM_POOL = "/node/v1/warm-pool";
    /** {@code GET}: the templates this node holds, each a {@code NodeTemplate} (name, status, size). */
    public static final String TEMPLATES = "/node/v1/templates";
    /** {@code DELETE}: drop a custom template's image ({@code {name}}: its id, {@code tpl-...}). */
    public static final String TEMPLATE = TEMPLATES + "/{name}";
    /** {@code POST} {@link TemplateBuild}: build a custom template, answered when done ({@code TemplateBuildOutcome}). */
    public static final String TEMPLATE_BUILD = TEMPLATE + "/build";
    /** {@code GET}: the port of this node's preview tunnel ({@link TunnelPort}). */
    public static final String PREVIEW_TUNNEL = "/node/v1/preview-tunnel";

    private NodePaths() {}
}
