package dev.dumpflow.sidecar.capture.dotnet;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One Diagnostic IPC Message of {@code DOTNET_IPC_V1}: a 20-byte header (14-byte magic {@code
 * "DOTNET_IPC_V1\0"}, {@code uint16} total size, {@code uint8} command set, {@code uint8} command
 * id, {@code uint16} reserved = 0) and a payload, little-endian throughout.
 *
 * @param commandSet the command set ({@code 0x01} Dump, {@code 0xFF} Server)
 * @param commandId the command within the set
 * @param payload the command-specific bytes
 */
public record IpcMessage(int commandSet, int commandId, byte[] payload) {

    /** The magic that opens every header, NUL-terminated. */
    static final byte[] MAGIC = "DOTNET_IPC_V1\0".getBytes(StandardCharsets.US_ASCII);

    /** {@code sizeof(IpcHeader)}. */
    static final int HEADER_SIZE = 20;

    public IpcMessage {
        if (commandSet < 0 || commandSet > 0xFF || commandId < 0 || commandId > 0xFF) {
            throw new IllegalArgumentException("command set and id are single bytes");
        }
        payload = payload == null ? new byte[0] : payload.clone();
        if (HEADER_SIZE + payload.length > 0xFFFF) {
            throw new IllegalArgumentException(
                    "an IPC message is at most 65535 bytes, this payload is " + payload.length);
        }
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** The message as it goes on the wire. */
    public ByteBuffer encode() {
        ByteBuffer b =
                ByteBuffer.allocate(HEADER_SIZE + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC)
                .putShort((short) (HEADER_SIZE + payload.length))
                .put((byte) commandSet)
                .put((byte) commandId)
                .putShort((short) 0)
                .put(payload);
        return b.flip();
    }

    /**
     * Reads one message.
     *
     * @throws IOException when the stream ends early or the magic or size is wrong
     */
    public static IpcMessage read(ReadableByteChannel in) throws IOException {
        ByteBuffer header = readFully(in, HEADER_SIZE);
        byte[] magic = new byte[MAGIC.length];
        header.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IOException("not a DOTNET_IPC_V1 message: wrong magic");
        }
        int size = Short.toUnsignedInt(header.getShort());
        int set = Byte.toUnsignedInt(header.get());
        int id = Byte.toUnsignedInt(header.get());
        if (size < HEADER_SIZE) {
            throw new IOException("IPC message size " + size + " is smaller than its header");
        }
        ByteBuffer payload = readFully(in, size - HEADER_SIZE);
        return new IpcMessage(set, id, payload.array());
    }

    private static ByteBuffer readFully(ReadableByteChannel in, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (in.read(b) < 0) {
                throw new EOFException(
                        "the diagnostic server closed the connection after "
                                + b.position()
                                + " of "
                                + n
                                + " bytes");
            }
        }
        return b.flip();
    }
}
