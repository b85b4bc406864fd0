package dev.dumpflow.sidecar.capture.dotnet;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A diagnostic server that speaks {@code DOTNET_IPC_V1} as the protocol document
 * (dotnet/diagnostics, documentation/design-docs/ipc-protocol.md) gives it, written from the
 * document and not from the client: a 20-byte header of magic, uint16 size, command set, command id
 * and reserved; answers with command set 0xFF, id 0x00 (OK) or 0xFF (Error) and an int32 HRESULT;
 * one message per connection, then close.
 */
final class DocumentedDiagnosticServer implements AutoCloseable {

    static final byte[] MAGIC = {
        'D', 'O', 'T', 'N', 'E', 'T', '_', 'I', 'P', 'C', '_', 'V', '1', 0
    };
    static final int E_FAIL = 0x80004005;
    static final int CORDIAGIPC_E_UNKNOWN_COMMAND = 0x80131385;

    /** One request as received: the raw bytes, header included. */
    record Request(byte[] bytes) {
        int commandSet() {
            return Byte.toUnsignedInt(bytes[16]);
        }

        int commandId() {
            return Byte.toUnsignedInt(bytes[17]);
        }

        /** The dumpName string that opens every dump command's payload. */
        String dumpName() {
            ByteBuffer b =
                    ByteBuffer.wrap(bytes, 20, bytes.length - 20).order(ByteOrder.LITTLE_ENDIAN);
            int chars = b.getInt();
            byte[] utf16 = new byte[chars * 2];
            b.get(utf16);
            String s = new String(utf16, StandardCharsets.UTF_16LE);
            return s.substring(0, s.length() - 1);
        }
    }

    private final Path socket;
    private final ServerSocketChannel server;
    private final Function<Request, byte[]> answer;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    /**
     * @param socket where to listen
     * @param answer the response bytes for a request, or null to close without answering
     */
    DocumentedDiagnosticServer(Path socket, Function<Request, byte[]> answer) throws IOException {
        this.socket = socket;
        this.answer = answer;
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        this.acceptor = Thread.ofPlatform().daemon().start(this::serve);
    }

    List<Request> requests() {
        return requests;
    }

    private void serve() {
        while (server.isOpen()) {
            try (SocketChannel client = server.accept()) {
                ByteBuffer header = readFully(client, 20);
                int size = Short.toUnsignedInt(header.getShort(14));
                ByteBuffer payload = readFully(client, size - 20);
                byte[] all = new byte[size];
                header.get(0, all, 0, 20);
                payload.get(0, all, 20, size - 20);
                Request r = new Request(all);
                requests.add(r);
                if (!Arrays.equals(Arrays.copyOf(all, 14), MAGIC)) {
                    client.write(ByteBuffer.wrap(error(0x80131386)));
                    continue;
                }
                byte[] reply = answer.apply(r);
                if (reply != null) {
                    client.write(ByteBuffer.wrap(reply));
                }
            } catch (IOException e) {
                if (!server.isOpen()) {
                    return;
                }
            }
        }
    }

    /** The generic OK with an int32 HRESULT of 0, as the dump commands return. */
    static byte[] ok() {
        return message(0xFF, 0x00, le(0));
    }

    /** A server error carrying an HRESULT. */
    static byte[] error(int hresult) {
        return message(0xFF, 0xFF, le(hresult));
    }

    /** A server error with an HRESULT and a message string, as GenerateCoreDump3 may send. */
    static byte[] error(int hresult, String text) {
        byte[] chars = (text + "\0").getBytes(StandardCharsets.UTF_16LE);
        ByteBuffer p = ByteBuffer.allocate(8 + chars.length).order(ByteOrder.LITTLE_ENDIAN);
        p.putInt(hresult).putInt(chars.length / 2).put(chars);
        return message(0xFF, 0xFF, p.array());
    }

    static byte[] message(int set, int id, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(20 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putShort((short) (20 + payload.length)).put((byte) set).put((byte) id);
        b.putShort((short) 0).put(payload);
        return b.array();
    }

    private static byte[] le(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    private static ByteBuffer readFully(SocketChannel c, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (c.read(b) < 0) {
                throw new IOException("client closed early");
            }
        }
        return b.flip();
    }

    @Override
    public void close() throws Exception {
        server.close();
        acceptor.join(2000);
        Files.deleteIfExists(socket);
    }
}
