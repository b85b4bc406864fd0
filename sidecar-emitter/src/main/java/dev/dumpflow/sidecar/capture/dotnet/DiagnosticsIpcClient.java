package dev.dumpflow.sidecar.capture.dotnet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A client of the .NET Diagnostic IPC Protocol ({@code DOTNET_IPC_V1}) for its one job here: asking
 * a runtime to write a dump of itself. One connection per command, as the server closes it after
 * its answer.
 *
 * <p>It sends {@code GenerateCoreDump3} ({@code 0x0103}) and falls back to {@code
 * GenerateCoreDump2} ({@code 0x0102}) and then {@code GenerateCoreDump} ({@code 0x0101}) when an
 * older runtime answers {@code CORDIAGIPC_E_UNKNOWN_COMMAND}.
 */
public final class DiagnosticsIpcClient {

    static final int DUMP_SET = 0x01;
    static final int SERVER_SET = 0xFF;
    static final int SERVER_OK = 0x00;
    static final int SERVER_ERROR = 0xFF;

    /** {@code CORDIAGIPC_E_UNKNOWN_COMMAND}. */
    public static final int E_UNKNOWN_COMMAND = 0x80131385;

    private final Path socket;
    private final Duration timeout;

    /**
     * @param socket the runtime's diagnostic socket
     * @param timeout how long one command may take, dump writing included
     */
    public DiagnosticsIpcClient(Path socket, Duration timeout) {
        this.socket = socket;
        this.timeout = timeout;
    }

    /**
     * Asks the runtime to write a dump, and waits until it has.
     *
     * @param dumpPath the file the runtime writes, as the runtime sees it
     * @param type the dump type
     * @return the command id the runtime accepted (3, 2 or 1)
     * @throws DiagnosticsServerException when the runtime answers with an error HRESULT
     * @throws IOException when the socket fails or the answer is not the protocol
     */
    public int writeDump(String dumpPath, DotnetDumpType type) throws IOException {
        for (int command = 3; command >= 1; command--) {
            // flags = 0 for 2 and 3 (no logging, no crash report); diagnostics = 0 for 1
            IpcMessage answer =
                    send(new IpcMessage(DUMP_SET, command, dumpPayload(dumpPath, type)));
            if (answer.commandSet() != SERVER_SET) {
                throw new IOException(
                        "the diagnostic server answered with command set 0x"
                                + Integer.toHexString(answer.commandSet()));
            }
            ByteBuffer payload = ByteBuffer.wrap(answer.payload()).order(ByteOrder.LITTLE_ENDIAN);
            int hresult = payload.remaining() >= 4 ? payload.getInt() : 0;
            if (answer.commandId() == SERVER_OK && hresult == 0) {
                return command;
            }
            if (answer.commandId() == SERVER_ERROR && hresult == E_UNKNOWN_COMMAND && command > 1) {
                continue;
            }
            String message = command == 3 && payload.remaining() >= 4 ? readString(payload) : null;
            throw new DiagnosticsServerException(commandName(command), hresult, message);
        }
        throw new IllegalStateException("unreachable: GenerateCoreDump never falls back");
    }

    /** The payload of all three dump commands: string dumpName, uint dumpType, uint flags. */
    static byte[] dumpPayload(String dumpPath, DotnetDumpType type) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeString(out, dumpPath);
        writeUint(out, type.wire());
        writeUint(out, 0);
        return out.toByteArray();
    }

    private IpcMessage send(IpcMessage request) throws IOException {
        try (SocketChannel channel = SocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            done.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .whenComplete(
                            (ok, failure) -> {
                                if (failure instanceof TimeoutException) {
                                    closeQuietly(channel);
                                }
                            });
            try {
                channel.connect(java.net.UnixDomainSocketAddress.of(socket));
                ByteBuffer bytes = request.encode();
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                return IpcMessage.read(channel);
            } catch (IOException e) {
                if (done.isCompletedExceptionally()) {
                    throw new IOException(
                            "the .NET runtime did not answer within " + timeout + " on " + socket,
                            e);
                }
                throw e;
            } finally {
                done.complete(null);
            }
        }
    }

    private static void writeString(ByteArrayOutputStream out, String s) {
        byte[] chars = (s + "\0").getBytes(StandardCharsets.UTF_16LE);
        writeUint(out, chars.length / 2);
        out.writeBytes(chars);
    }

    private static void writeUint(ByteArrayOutputStream out, int v) {
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
    }

    private static String readString(ByteBuffer b) {
        long length = Integer.toUnsignedLong(b.getInt());
        if (length == 0 || length * 2 > b.remaining()) {
            return null;
        }
        byte[] chars = new byte[(int) length * 2];
        b.get(chars);
        String s = new String(chars, StandardCharsets.UTF_16LE);
        return s.endsWith("\0") ? s.substring(0, s.length() - 1) : s;
    }

    private static String commandName(int command) {
        return command == 1 ? "GenerateCoreDump" : "GenerateCoreDump" + command;
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the timeout is what gets reported
        }
    }
}
