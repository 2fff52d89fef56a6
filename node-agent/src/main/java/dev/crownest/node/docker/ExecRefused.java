package dev.crownest.node.docker;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * An exec Docker would not start (the container has exited or is gone), seen as a process that ran
 * and failed with 126, as {@code runsc exec} in a stopped sandbox does: the node's exec stream ends
 * with an exit chunk instead of breaking off after its headers.
 */
final class ExecRefused extends Process {
    static final int EXIT_CODE = 126;
    private final byte[] message;

    ExecRefused(String message) {
        this.message = (message + "\n").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public OutputStream getOutputStream() {
        return OutputStream.nullOutputStream();
    }

    @Override
    public InputStream getInputStream() {
        return InputStream.nullInputStream();
    }

    @Override
    public InputStream getErrorStream() {
        return new ByteArrayInputStream(message);
    }

    @Override
    public int waitFor() {
        return EXIT_CODE;
    }

    @Override
    public boolean waitFor(long timeout, TimeUnit unit) {
        return true;
    }

    @Override
    public int exitValue() {
        return EXIT_CODE;
    }

    @Override
    public void destroy() {}

    @Override
    public boolean isAlive() {
        return false;
    }
}
