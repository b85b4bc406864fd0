package dev.dumpflow.sidecar.outbox;

import io.cloudevents.CloudEvent;
import io.cloudevents.SpecVersion;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * One CloudEvent as the outbox stores it: self-describing, and checked, so that a torn or altered
 * file is told apart from an event.
 *
 * <pre>
 * "DFOB" version:u8
 * attributes:   count:i32 (name:str value:str)*        every context attribute but specversion
 * extensions:   count:i32 (name:str kind:u8 value:str)* kind s=string i=integer b=boolean
 * data:         length:i32 (-1 = none) bytes
 * crc32 of all of the above: i32
 * str = length:i32 UTF-8 bytes
 * </pre>
 */
final class EventFile {

    /** Larger than any event the sidecar makes by far; a length past it marks a corrupt file. */
    static final int MAX_BYTES = 16 * 1024 * 1024;

    private static final byte[] MAGIC = {'D', 'F', 'O', 'B'};
    private static final int VERSION = 1;

    private EventFile() {}

    /** A file that is not an event in this form. */
    static final class Corrupt extends IOException {
        Corrupt(String why) {
            super(why);
        }

        Corrupt(String why, Throwable cause) {
            super(why, cause);
        }
    }

    /** The event's bytes in the stored form. */
    static byte[] encode(CloudEvent event) {
        if (event.getSpecVersion() != SpecVersion.V1) {
            throw new IllegalArgumentException("only CloudEvents 1.0 is stored");
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("id", event.getId());
        attributes.put("source", event.getSource().toString());
        attributes.put("type", event.getType());
        putIfSet(attributes, "subject", event.getSubject());
        putIfSet(attributes, "time", event.getTime());
        putIfSet(attributes, "datacontenttype", event.getDataContentType());
        putIfSet(attributes, "dataschema", event.getDataSchema());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeByte(VERSION);
            out.writeInt(attributes.size());
            for (var a : attributes.entrySet()) {
                writeString(out, a.getKey());
                writeString(out, a.getValue());
            }
            out.writeInt(event.getExtensionNames().size());
            for (String name : event.getExtensionNames()) {
                Object value = event.getExtension(name);
                writeString(out, name);
                out.writeByte(
                        value instanceof Integer ? 'i' : value instanceof Boolean ? 'b' : 's');
                writeString(out, String.valueOf(value));
            }
            byte[] data = event.getData() == null ? null : event.getData().toBytes();
            out.writeInt(data == null ? -1 : data.length);
            if (data != null) {
                out.write(data);
            }
            CRC32 crc = new CRC32();
            crc.update(bytes.toByteArray());
            out.writeInt((int) crc.getValue());
        } catch (IOException inMemory) {
            throw new UncheckedIOException(inMemory);
        }
        return bytes.toByteArray();
    }

    /** The event these bytes store. */
    static CloudEvent decode(byte[] stored) throws Corrupt {
        if (stored.length < MAGIC.length + 1 + 4 * 4) {
            throw new Corrupt("too short (" + stored.length + " bytes)");
        }
        CRC32 crc = new CRC32();
        crc.update(stored, 0, stored.length - 4);
        int expected =
                ((stored[stored.length - 4] & 0xff) << 24)
                        | ((stored[stored.length - 3] & 0xff) << 16)
                        | ((stored[stored.length - 2] & 0xff) << 8)
                        | (stored[stored.length - 1] & 0xff);
        if ((int) crc.getValue() != expected) {
            throw new Corrupt("checksum mismatch");
        }
        try (DataInputStream in =
                new DataInputStream(new ByteArrayInputStream(stored, 0, stored.length - 4))) {
            byte[] magic = in.readNBytes(MAGIC.length);
            int version = in.readUnsignedByte();
            if (!Arrays.equals(magic, MAGIC) || version != VERSION) {
                throw new Corrupt("not an outbox entry of version " + VERSION);
            }
            CloudEventBuilder builder = CloudEventBuilder.v1();
            int attributes = count(in, stored.length);
            for (int i = 0; i < attributes; i++) {
                attribute(builder, readString(in, stored.length), readString(in, stored.length));
            }
            int extensions = count(in, stored.length);
            for (int i = 0; i < extensions; i++) {
                String name = readString(in, stored.length);
                int kind = in.readUnsignedByte();
                String value = readString(in, stored.length);
                switch (kind) {
                    case 'i' -> builder.withExtension(name, Integer.valueOf(value));
                    case 'b' -> builder.withExtension(name, Boolean.valueOf(value));
                    case 's' -> builder.withExtension(name, value);
                    default -> throw new Corrupt("unknown extension kind " + kind);
                }
            }
            int length = in.readInt();
            if (length < -1 || length > stored.length) {
                throw new Corrupt("data length " + length + " out of range");
            }
            if (length >= 0) {
                byte[] data = in.readNBytes(length);
                if (data.length != length) {
                    throw new EOFException();
                }
                builder.withData(data);
            }
            if (in.available() != 0) {
                throw new Corrupt("trailing bytes");
            }
            return builder.build();
        } catch (Corrupt corrupt) {
            throw corrupt;
        } catch (EOFException truncated) {
            throw new Corrupt("truncated", truncated);
        } catch (IOException | RuntimeException malformed) {
            // The SDK's builder rejects a missing or malformed attribute with a runtime exception.
            throw new Corrupt("malformed: " + malformed.getMessage(), malformed);
        }
    }

    private static void attribute(CloudEventBuilder builder, String name, String value)
            throws Corrupt {
        try {
            switch (name) {
                case "id" -> builder.withId(value);
                case "source" -> builder.withSource(URI.create(value));
                case "type" -> builder.withType(value);
                case "subject" -> builder.withSubject(value);
                case "time" -> builder.withTime(OffsetDateTime.parse(value));
                case "datacontenttype" -> builder.withDataContentType(value);
                case "dataschema" -> builder.withDataSchema(URI.create(value));
                default -> throw new Corrupt("unknown attribute " + name);
            }
        } catch (IllegalArgumentException | DateTimeParseException malformed) {
            throw new Corrupt("malformed attribute " + name, malformed);
        }
    }

    private static void putIfSet(Map<String, String> attributes, String name, Object value) {
        if (value != null) {
            attributes.put(name, value.toString());
        }
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static int count(DataInputStream in, int bound) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > bound) {
            throw new Corrupt("count " + n + " out of range");
        }
        return n;
    }

    private static String readString(DataInputStream in, int bound) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > bound) {
            throw new Corrupt("string length " + length + " out of range");
        }
        byte[] utf8 = in.readNBytes(length);
        if (utf8.length != length) {
            throw new EOFException();
        }
        return new String(utf8, StandardCharsets.UTF_8);
    }
}
