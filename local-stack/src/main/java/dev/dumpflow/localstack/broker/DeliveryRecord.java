package dev.dumpflow.localstack.broker;

import io.cloudevents.CloudEvent;
import io.cloudevents.http.HttpMessageFactory;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The form of one {@link DeliveryJournal} entry on disk: the event in HTTP binary mode with the
 * routing on top, each header value kept on one line.
 *
 * <pre>
 * dumpflow-delivery 1
 * broker: {namespace}/{name}
 * trigger: {name}
 * ttl: {hops left}
 * ce-id: …            (the CloudEvents headers)
 *
 * {data}
 * </pre>
 */
final class DeliveryRecord {

    private static final String MAGIC = "dumpflow-delivery 1";

    private DeliveryRecord() {}

    static byte[] encode(String broker, String trigger, int ttl, CloudEvent event) {
        Map<String, String> headers = new LinkedHashMap<>();
        byte[][] data = {new byte[0]};
        HttpMessageFactory.createWriter(
                        headers::put, bytes -> data[0] = bytes == null ? new byte[0] : bytes)
                .writeBinary(event);
        StringBuilder head = new StringBuilder(MAGIC).append('\n');
        line(head, "broker", broker);
        line(head, "trigger", trigger);
        line(head, "ttl", Integer.toString(ttl));
        headers.forEach((name, value) -> line(head, name, value));
        head.append('\n');
        ByteArrayOutputStream out = new ByteArrayOutputStream(head.length() + data[0].length);
        out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(data[0]);
        return out.toByteArray();
    }

    static DeliveryJournal.Entry decode(Path file, long sequence, byte[] bytes) {
        int end = headEnd(bytes);
        String[] lines = new String(bytes, 0, end, StandardCharsets.UTF_8).split("\n", -1);
        if (!MAGIC.equals(lines[0])) {
            throw new IllegalArgumentException("not a journal entry: it starts with " + lines[0]);
        }
        Map<String, String> routing = new LinkedHashMap<>();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(": ");
            if (colon <= 0) {
                throw new IllegalArgumentException("malformed line " + (i + 1));
            }
            String name = lines[i].substring(0, colon);
            String value = unescape(lines[i].substring(colon + 2));
            if (name.equals("broker") || name.equals("trigger") || name.equals("ttl")) {
                routing.put(name, value);
            } else {
                headers.put(name, List.of(value));
            }
        }
        for (String name : List.of("broker", "trigger", "ttl")) {
            if (!routing.containsKey(name)) {
                throw new IllegalArgumentException("no " + name + " line");
            }
        }
        byte[] data = Arrays.copyOfRange(bytes, end + 2, bytes.length);
        int ttl;
        try {
            ttl = Integer.parseInt(routing.get("ttl"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("ttl is not a number: " + routing.get("ttl"));
        }
        return new DeliveryJournal.Entry(
                file,
                sequence,
                routing.get("broker"),
                routing.get("trigger"),
                ttl,
                CloudEventCodec.read(headers, data));
    }

    /** The index of the blank line that ends the head. */
    private static int headEnd(byte[] bytes) {
        for (int i = 0; i + 1 < bytes.length; i++) {
            if (bytes[i] == '\n' && bytes[i + 1] == '\n') {
                return i;
            }
        }
        throw new IllegalArgumentException("truncated: no end of head");
    }

    private static void line(StringBuilder head, String name, String value) {
        head.append(name).append(": ").append(escape(value)).append('\n');
    }

    /** Keeps each value on one line; {@code %} is escaped first so that decoding is exact. */
    private static String escape(String value) {
        return value.replace("%", "%25").replace("\n", "%0A").replace("\r", "%0D");
    }

    private static String unescape(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%' && value.startsWith("0A", i + 1)) {
                out.append('\n');
                i += 2;
            } else if (c == '%' && value.startsWith("0D", i + 1)) {
                out.append('\r');
                i += 2;
            } else if (c == '%' && value.startsWith("25", i + 1)) {
                out.append('%');
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
