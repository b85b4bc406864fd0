package dev.dumpflow.localstack.broker;

import io.cloudevents.CloudEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The local broker's pending deliveries, kept on disk so that a broker stopped in the middle of its
 * work delivers them again when it starts, as Knative's Kafka broker does by committing an offset
 * only once the subscriber (and the routing of its reply) is done.
 *
 * <p>One file per delivery, named by a sequence number and written in the form of {@link
 * DeliveryRecord}: written to a {@code .tmp} file, fsynced, renamed, and the directory fsynced
 * before ingress answers 202; removed once the delivery ended (accepted with its reply journaled in
 * turn, dead-lettered, or given up).
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
            ByteBuffer bytes = ByteBuffer.wrap(DeliveryRecord.encode(broker, trigger, ttl, event));
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
                entries.add(
                        DeliveryRecord.decode(
                                file,
                                sequenceOf(file.getFileName().toString()),
                                Files.readAllBytes(file)));
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

    static long sequenceOf(String name) {
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
