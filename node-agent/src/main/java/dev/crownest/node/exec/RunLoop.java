package dev.crownest.node.exec;

import dev.crownest.node.agent.ProcessAgent;
import dev.crownest.nodeclient.protocol.ExecChunk;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * One command's run, on the thread that writes its answer: starts it through the sandbox's process
 * agent, hands each piece of output to the writer (and to the command's watches) as it comes, kills
 * the process group at the timeout, and ends the stream with the exit. A slow writer holds the
 * command back through the agent's window: nothing is buffered here beyond what the agent sent.
 */
@Component
class RunLoop {
    private final Clock clock;

    RunLoop(Clock clock) {
        this.clock = clock;
    }

    void run(
            ProcessAgent agent,
            String cwd,
            Map<String, String> env,
            List<String> argv,
            String stdin,
            long timeoutMs,
            RunningCommand command,
            ChunkWriter out)
            throws IOException {
        // Headers go out now: a command silent for long must not look like a node that does not answer.
        out.flush();
        Instant startedAt = clock.instant();
        AgentOutput output = new AgentOutput();
        ProcessAgent.Command started =
                agent.run(argv, cwd, env, stdin == null ? null : stdin.getBytes(StandardCharsets.UTF_8), output);
        command.started(started);
        boolean timedOut = false;
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            int exitCode;
            while (true) {
                AgentOutput.Piece piece = output.poll(Math.max(0, deadline - System.nanoTime()));
                if (piece == null && !timedOut) {
                    // the deadline: the whole process group goes, as timeout -s KILL would do
                    timedOut = true;
                    command.killGroup();
                    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                } else if (piece == null) {
                    // the agent did not answer the kill: the backstop gives up on the command
                    started.abandon();
                    exitCode = AgentOutput.KILLED;
                    break;
                } else if (piece.exit()) {
                    exitCode = piece.exitCode();
                    break;
                } else {
                    AgentOutput.Piece joined = output.joinWaiting(piece);
                    out.output(joined.stream(), joined.data());
                    command.feedWatches(new OutputWatch.Piece(joined.stream(), joined.data()), deadline);
                    started.ack(joined.data().length);
                }
            }
            boolean cancelled = command.cancelled();
            ExecChunk exit = new ExecChunk(
                    "exit",
                    null,
                    exitCode,
                    !cancelled && timedOut,
                    startedAt,
                    clock.instant(),
                    cancelled ? Boolean.TRUE : null);
            out.exit(exit);
            command.feedWatches(exit, System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
        } catch (InterruptedException e) {
            abandon(started, command, output);
            Thread.currentThread().interrupt();
        } catch (IOException clientGone) {
            // Nobody reads the output any more: the command ends rather than run on unseen.
            abandon(started, command, output);
            throw clientGone;
        } finally {
            command.endWatches();
        }
    }

    private static void abandon(ProcessAgent.Command started, RunningCommand command, AgentOutput output) {
        output.abandon();
        command.killGroup();
        started.abandon();
    }
}
