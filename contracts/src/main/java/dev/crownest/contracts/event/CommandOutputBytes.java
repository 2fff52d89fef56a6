package dev.crownest.contracts.event;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The value of a {@link Topics#COMMAND_OUTPUT} record: a {@link CommandOutput} in a small binary form,
 * its output bytes as they are. As JSON every byte went through base64 on the worker and back on every
 * gateway, which was most of both services' time on a fast stream (JFR, {@code ./crownest bench api}).
 *
 * <p>Layout, big-endian: version (1 byte, {@link #VERSION}); stream (1 byte: 1 stdout, 2 stderr,
 * 3 exit); seq (8 bytes); flags (1 byte: 1 exit code present, 2 timedOut present, 4 timedOut true,
 * 8 data present); exit code (4 bytes); commandId, sandboxId, tenantId (each a 2-byte length, -1 for
 * null, then UTF-8); then the data to the end of the value.
 */
public final class CommandOutputBytes {

    public static final byte VERSION = 1;
    private static final int HAS_EXIT_CODE = 1;
    private static final int HAS_TIMED_OUT = 2;
    private static final int TIMED_OUT = 4;
    private static final int HAS_DATA = 8;

    private CommandOutputBytes() {
    }

    public static byte[] encode(CommandOutput output) {
        byte[] commandId = utf8(output.commandId());
        byte[] sandboxId = utf8(output.sandboxId());
        byte[] tenantId = utf8(output.tenantId());
        byte[] data = output.data();
        int size = 1 + 1 + 8 + 1 + 4 + text(commandId) + text(sandboxId) + text(tenantId) + (data == null ? 0 : data.length);
        ByteBuffer out = ByteBuffer.allocate(size)
                .put(VERSION)
                .put(streamCode(output.stream()))
                .putLong(output.seq())
                .put((byte) ((output.exitCode() != null ? HAS_EXIT_CODE : 0)
                        | (output.timedOut() != null ? HAS_TIMED_OUT : 0)
                        | (Boolean.TRUE.equals(output.timedOut()) ? TIMED_OUT : 0)
                        | (data != null ? HAS_DATA : 0)))
                .putInt(output.exitCode() == null ? 0 : output.exitCode());
        putText(out, commandId);
        putText(out, sandboxId);
        putText(out, tenantId);
        if (data != null) {
            out.put(data);
        }
        return out.array();
    }

    /** The record a value holds; an unknown version or a value cut short is an {@link IllegalArgumentException}. */
    public static CommandOutput decode(byte[] value) {
        try {
            ByteBuffer in = ByteBuffer.wrap(value);
            byte version = in.get();
            if (version != VERSION) {
                throw new IllegalArgumentException("command-output record of unknown version " + version);
            }
            String stream = streamName(in.get());
            long seq = in.getLong();
            int flags = in.get();
            int exitCode = in.getInt();
            String commandId = getText(in);
            String sandboxId = getText(in);
            String tenantId = getText(in);
            byte[] data = (flags & HAS_DATA) != 0 ? Arrays.copyOfRange(value, in.position(), value.length) : null;
            return new CommandOutput(commandId, sandboxId, tenantId, seq, stream, data,
                    (flags & HAS_EXIT_CODE) != 0 ? exitCode : null,
                    (flags & HAS_TIMED_OUT) != 0 ? (flags & TIMED_OUT) != 0 : null);
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("command-output record cut short", e);
        }
    }

    private static byte streamCode(String stream) {
        return switch (stream) {
            case CommandOutput.STDOUT -> 1;
            case CommandOutput.STDERR -> 2;
            case CommandOutput.EXIT -> 3;
            default -> throw new IllegalArgumentException("unknown output stream " + stream);
        };
    }

    private static String streamName(byte code) {
        return switch (code) {
            case 1 -> CommandOutput.STDOUT;
            case 2 -> CommandOutput.STDERR;
            case 3 -> CommandOutput.EXIT;
            default -> throw new IllegalArgumentException("unknown output stream code " + code);
        };
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static int text(byte[] s) {
        return 2 + (s == null ? 0 : s.length);
    }

    private static void putText(ByteBuffer out, byte[] s) {
        if (s != null && s.length > Short.MAX_VALUE) {
            throw new IllegalArgumentException("id longer than " + Short.MAX_VALUE + " bytes");
        }
        out.putShort((short) (s == null ? -1 : s.length));
        if (s != null) {
            out.put(s);
        }
    }

    private static String getText(ByteBuffer in) {
        int length = in.getShort();
        if (length < 0) {
            return null;
        }
        if (length > in.remaining()) {
            throw new java.nio.BufferUnderflowException();
        }
        String s = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return s;
    }
}
