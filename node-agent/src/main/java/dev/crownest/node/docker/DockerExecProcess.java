package dev.crownest.node.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A {@code docker exec} seen as a {@link Process}, so the process agent and the preview relay start
 * the same way on both runtimes. The attached stdout and stderr frames go through OS pipes: a slow
 * reader blocks docker-java's callback thread, which stops reading the socket (backpressure, as with
 * runsc exec's pipes). The exit code is the exec's, from {@code docker exec inspect} once the streams end.
 */
final class DockerExecProcess extends Process {
    private static final Cleaner CLEANER = Cleaner.create();
    private final DockerClient docker;
    private final String execId;
    private final Pipe stdout = Pipe.open();
    private final Pipe stderr = Pipe.open();
    private final Pipe stdin = Pipe.open();
    private final OutputStream stdinStream = Channels.newOutputStream(stdin.sink());
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicBoolean finishing = new AtomicBoolean();
    private volatile int exitCode = -1;
    private final Consumer<DockerExecProcess> onEnd;
    private ResultCallback.Adapter<Frame> attached;

    DockerExecProcess(DockerClient docker, String execId, Consumer<DockerExecProcess> onEnd) throws IOException {
        // Callers close what they read (or not: a kill's stderr is never read); the pipes' descriptors
        // go when the process object does.
        Pipe[] pipes = {stdout, stderr, stdin};
        CLEANER.register(this, () -> {
            for (Pipe pipe : pipes) {
                closeQuietly(pipe.source());
                closeQuietly(pipe.sink());
            }
        });
        this.onEnd = onEnd;
        this.docker = docker;
        this.execId = execId;
    }

    void start() {
        attached = docker.execStartCmd(execId)
                .withStdIn(Channels.newInputStream(stdin.source()))
                .exec(new ResultCallback.Adapter<>() {
                    @Override
                    public void onNext(Frame frame) {
                        try {
                            switch (frame.getStreamType()) {
                                case STDERR -> write(stderr, frame.getPayload());
                                case STDOUT, RAW -> write(stdout, frame.getPayload());
                                default -> {}
                            }
                        } catch (IOException readerGone) {
                            // the caller closed its end: nothing reads the output any more
                        }
                    }

                    @Override
                    public void onError(Throwable throwable) {
                        finish();
                    }

                    @Override
                    public void onComplete() {
                        finish();
                    }
                });
    }

    private static void write(Pipe pipe, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            pipe.sink().write(buffer);
        }
    }

    /** The streams ended: the command exited (or the connection went). Its exit code comes from inspect. */
    private void finish() {
        if (finishing.getAndSet(true)) {
            return;
        }
        Thread.ofVirtual().start(() -> {
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (System.nanoTime() < deadline) {
                    var inspected = docker.inspectExecCmd(execId).exec();
                    if (!Boolean.TRUE.equals(inspected.isRunning()) && inspected.getExitCodeLong() != null) {
                        exitCode = inspected.getExitCodeLong().intValue();
                        break;
                    }
                    Thread.sleep(5);
                }
            } catch (RuntimeException | InterruptedException e) {
                // container gone: the exit code stays unknown (-1)
            } finally {
                closeQuietly(stdout.sink());
                closeQuietly(stderr.sink());
                // the command is done with its input: docker-java's stdin copier ends on this EOF
                closeQuietly(stdinStream);
                finished.countDown();
                onEnd.accept(DockerExecProcess.this);
            }
        });
    }

    @Override
    public OutputStream getOutputStream() {
        return stdinStream;
    }

    @Override
    public InputStream getInputStream() {
        return Channels.newInputStream(stdout.source());
    }

    @Override
    public InputStream getErrorStream() {
        return Channels.newInputStream(stderr.source());
    }

    @Override
    public int waitFor() throws InterruptedException {
        finished.await();
        return exitCode;
    }

    @Override
    public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        return finished.await(timeout, unit);
    }

    @Override
    public int exitValue() {
        if (finished.getCount() > 0) {
            throw new IllegalThreadStateException("docker exec " + execId + " is running");
        }
        return exitCode;
    }

    @Override
    public boolean isAlive() {
        return finished.getCount() > 0;
    }

    /**
     * Lets the exec go: the attach connection closes and the streams end. The command itself goes on
     * inside the sandbox until its process group is killed (the node does that first).
     */
    @Override
    public void destroy() {
        closeQuietly(attached);
        closeQuietly(stdinStream);
        if (exitCode == -1) {
            exitCode = 137;
        }
        closeQuietly(stdout.sink());
        closeQuietly(stderr.sink());
        finished.countDown();
        onEnd.accept(this);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            if (closeable != null) {
                closeable.close();
            }
        } catch (Exception ignored) {
            // already closed
        }
    }
}
