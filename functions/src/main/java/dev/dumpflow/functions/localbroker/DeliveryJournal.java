package dev.dumpflow.functions.localbroker;

import io.cloudevents.CloudEvent;
import io.cloudevents.http.HttpMessageFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The local broker's pending deliveries, kept on disk so that a broker stopped in the middle of its
 * work delivers them again when it starts, as Knative's Kafka broker does by committing an offset
 * only once the subscriber (and the routing of its reply) is done.
 *
 * <p>One file per delivery, named by a sequence number: written to a {@code .tmp} file, fsynced,
 * renamed, and the directory fsynced before ingress answers 202; removed once the delivery ended
 * (accepted with its reply journaled in turn, dead-lettered, or given up). Its form is the event in
 * HTTP binary mode with the routing on top:
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
 *
 * <p>A journal without a directory ({@link #none()}) keeps nothing: a stopped broker then loses
 * what it was delivering, and says so.
 */
final class DeliveryJournal {

    /**
     * One journaled delivery.
     *
     * @param file where it is kept, or null in a journal that keeps nothing
     * @param sequence its order of arrival
     * @param broker the Broker, {@code namespace/name}
     * @param trigger the Trigger's name
     * @param ttl the hops its reply chain may still take
     * @param event the event, without the hop counter
     */
    record Entry(
            Path file, long sequence, String broker, String trigger, int ttl, CloudEvent event) {}

    private static final Logger LOG = Logger.getLogger(DeliveryJournal.class);
    private static final String MAGIC = "dumpflow-delivery 1";
    private static final String SUFFIX = ".delivery";
    private static final String UNREADABLE = "unreadable";

    private final Path directory;
    private final AtomicLong sequence;

    private DeliveryJournal(Path directory, long next) {
        this.directory = directory;
        this.sequence = new AtomicLong(next);
    }

    /** A journal that keeps nothing. */
    static DeliveryJournal none() {
        return new DeliveryJournal(null, 0);
    }

    /**
     * Opens (and creates) a journal directory, removes the temporary files of a write that a crash
     * interrupted, and checks that it can write there.
     *
     * @throws IOException when the directory cannot be created or written
     */
    static DeliveryJournal open(Path directory) throws IOException {
        Files.createDirectories(directory);
        long last = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.endsWith(".tmp")) {
                    Files.deleteIfExists(file);
                } else if (name.endsWith(SUFFIX)) {
                    last = Math.max(last, sequenceOf(name));
                }
            }
        }
        Path probe = Files.createTempFile(directory, "probe-", ".tmp");
        Files.delete(probe);
        return new DeliveryJournal(directory, last + 1);
    }

    /** Whether this journal keeps deliveries on disk. */
    boolean durable() {
        return directory != null;
    }

    /**
     * Stores one delivery; when this returns, it survives a crash of the process.
     *
     * @throws IOException when it could not be stored
     */
    Entry store(String broker, String trigger, int ttl, CloudEvent event) throws IOException {
        long number = sequence.getAndIncrement();
        if (directory == null) {
            return new Entry(null, number, broker, trigger, ttl, event);
        }
        Path file = directory.resolve("%020d%s".formatted(number, SUFFIX));
        Path tmp = directory.resolve(file.getFileName() + ".tmp");
        try (FileChannel channel =
                FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer bytes = ByteBuffer.wrap(encode(broker, trigger, ttl, event));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file);
        }
        syncDirectory();
        return new Entry(file, number, broker, trigger, ttl, event);
    }

    /** Forgets a delivery that ended. */
    void remove(Entry entry) {
        if (entry.file() == null) {
            return;
        }
        try {
            Files.deleteIfExists(entry.file());
        } catch (IOException e) {
            LOG.warnf(
                    e,
                    "could not remove %s from the local broker's journal; it will be delivered"
                            + " again at the next start",
                    entry.file());
        }
    }

    /**
     * The deliveries a stopped broker left, oldest first. A file that cannot be read is moved to
     * {@code unreadable/} with an error, and does not stop the others.
     */
    List<Entry> pending() throws IOException {
        if (directory == null) {
            return List.of();
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            stream.forEach(files::add);
        }
        files.sort(null);
        List<Entry> entries = new ArrayList<>();
        for (Path file : files) {
            try {
                entries.add(decode(file, Files.readAllBytes(file)));
            } catch (IOException | IllegalArgumentException e) {
                Path aside = directory.resolve(UNREADABLE).resolve(file.getFileName());
                Files.createDirectories(aside.getParent());
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
                LOG.errorf(
                        "local broker journal entry %s cannot be read (%s); moved to %s, not"
                                + " delivered",
                        file.getFileName(), e.getMessage(), aside);
            }
        }
        return entries;
    }

    private void syncDirectory() {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // Some file systems cannot sync a directory; the rename is then as durable as they are.
            LOG.debugf("could not sync directory %s: %s", directory, e.getMessage());
        }
    }

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

    static Entry decode(Path file, byte[] bytes) {
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
        return new Entry(
                file,
                file == null ? 0 : sequenceOf(file.getFileName().toString()),
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

    private static long sequenceOf(String name) {
        try {
            return Long.parseLong(name.substring(0, name.indexOf('.')));
        } catch (RuntimeException e) {
            return 0;
        }
    }

    @Override
    public String toString() {
        return Optional.ofNullable(directory).map(Path::toString).orElse("(not kept)");
    }
}
