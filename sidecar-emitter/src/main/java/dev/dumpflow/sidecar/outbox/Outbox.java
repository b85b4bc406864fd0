package dev.dumpflow.sidecar.outbox;

import static java.lang.System.Logger.Level.WARNING;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The events not yet delivered, one file each, named by a 20-digit sequence number so that the
 * directory's order is the order of emission. An event is on disk, fsynced, before anybody tries to
 * send it, so a crash or a restart loses none; it leaves only once the sink has it. Entries that
 * cannot be read are moved aside to {@code rejected/} so that they never block the queue.
 *
 * <p>Only the index of waiting entries is held in memory, never their events.
 */
public final class Outbox {

    private static final System.Logger LOG = System.getLogger(Outbox.class.getName());
    private static final Pattern ENTRY = Pattern.compile("\\d{20}");
    private static final String TEMP_SUFFIX = ".tmp";
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_DIR =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    // Events carry fetch tokens.
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    /** One waiting event: its sequence number and its file. */
    public record Entry(long sequence, Path file) {}

    /** A waiting event, read back. */
    public record Stored(Entry entry, CloudEvent event) {}

    private final Path dir;
    private final Path rejected;
    private final int maxEvents;
    private final TreeMap<Long, Path> waiting = new TreeMap<>();
    private long nextSequence = 1;

    private Outbox(Path dir, int maxEvents) {
        this.dir = dir;
        this.rejected = dir.resolve("rejected");
        this.maxEvents = maxEvents;
    }

    /**
     * Opens the outbox, creating its directory owner-only if needed, and loads the entries an
     * earlier run left; a half-written entry from a crash is removed.
     */
    public static Outbox open(OutboxConfig config) throws IOException {
        Outbox outbox = new Outbox(config.dir(), config.maxEvents());
        Files.createDirectories(outbox.dir, OWNER_ONLY_DIR);
        Files.createDirectories(outbox.rejected, OWNER_ONLY_DIR);
        outbox.load();
        outbox.proveWritable();
        return outbox;
    }

    /**
     * Stores and reads back a probe event, deleted at once: fails at start-up, not at the first
     * dump, on a directory that cannot be written, and loads the classes the first dump's event
     * would otherwise wait for.
     */
    private void proveWritable() throws IOException {
        Path probe = dir.resolve("probe" + TEMP_SUFFIX);
        CloudEvent sample =
                CloudEventBuilder.v1()
                        .withId("probe")
                        .withSource(URI.create("/dumpflow/outbox"))
                        .withType("dev.dumpflow.outbox.probe")
                        .withData(new byte[] {'{', '}'})
                        .build();
        try {
            writeDurably(probe, EventFile.encode(sample));
            read(probe);
            syncDirectory();
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    private void load() throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (ENTRY.matcher(name).matches()) {
                    long sequence = Long.parseLong(name);
                    waiting.put(sequence, file);
                    nextSequence = Math.max(nextSequence, sequence + 1);
                } else if (name.endsWith(TEMP_SUFFIX)) {
                    // Never moved into place, so never offered for sending: not an event yet.
                    Files.deleteIfExists(file);
                } else if (!file.equals(rejected)) {
                    LOG.log(WARNING, "outbox: ignoring {0}, which is not an entry", file);
                }
            }
        }
        // A rejected entry keeps its name; new entries must not take it.
        try (DirectoryStream<Path> files = Files.newDirectoryStream(rejected)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (ENTRY.matcher(name).matches()) {
                    nextSequence = Math.max(nextSequence, Long.parseLong(name) + 1);
                }
            }
        }
    }

    /**
     * Stores the event durably: written to a temporary file, fsynced, moved atomically to its
     * sequence name, and the directory fsynced.
     *
     * @return false, storing nothing, when the outbox already holds {@link #maxEvents()} events
     * @throws IOException when the event cannot be stored, for example on a full disk
     */
    public synchronized boolean add(CloudEvent event) throws IOException {
        if (waiting.size() >= maxEvents) {
            return false;
        }
        long sequence = nextSequence;
        String name = "%020d".formatted(sequence);
        Path temp = dir.resolve(name + TEMP_SUFFIX);
        Path file = dir.resolve(name);
        byte[] bytes = EventFile.encode(event);
        try {
            writeDurably(temp, bytes);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException failed) {
            Files.deleteIfExists(temp);
            throw failed;
        }
        nextSequence = sequence + 1;
        waiting.put(sequence, file);
        notifyAll();
        try {
            syncDirectory();
        } catch (IOException unsynced) {
            // The entry is in place and will be sent; only a power cut could still lose it.
            LOG.log(WARNING, "outbox: cannot fsync " + dir + " after " + name, unsynced);
        }
        return true;
    }

    /**
     * The oldest waiting event, waiting for one if there is none. An entry that cannot be read is
     * moved to {@code rejected/} with a warning, and the next one is taken.
     */
    public Stored awaitOldest() throws InterruptedException {
        while (true) {
            Entry entry;
            synchronized (this) {
                while (waiting.isEmpty()) {
                    wait();
                }
                var first = waiting.firstEntry();
                entry = new Entry(first.getKey(), first.getValue());
            }
            try {
                return new Stored(entry, read(entry.file()));
            } catch (IOException unreadable) {
                LOG.log(
                        WARNING,
                        "outbox: entry {0} cannot be read ({1}); moved to {2}",
                        entry.file().getFileName(),
                        unreadable.getMessage(),
                        rejected);
                reject(entry);
            }
        }
    }

    /** Forgets a delivered event. */
    public synchronized void remove(Entry entry) throws IOException {
        waiting.remove(entry.sequence());
        // No directory fsync: should the deletion be lost in a crash, the event is sent again
        // with the same id, which at-least-once delivery allows.
        Files.deleteIfExists(entry.file());
    }

    /**
     * Moves an entry that can never be delivered to {@code rejected/}, out of the queue but kept
     * for a person to look at; if even that fails, it is deleted so that it cannot block the queue.
     */
    public synchronized void reject(Entry entry) {
        waiting.remove(entry.sequence());
        try {
            Files.move(
                    entry.file(),
                    rejected.resolve(entry.file().getFileName()),
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException unmovable) {
            LOG.log(WARNING, "outbox: cannot move " + entry.file() + " aside; deleting", unmovable);
            try {
                Files.deleteIfExists(entry.file());
            } catch (IOException undeletable) {
                LOG.log(WARNING, "outbox: cannot delete " + entry.file(), undeletable);
            }
        }
    }

    /** How many events wait. */
    public synchronized int size() {
        return waiting.size();
    }

    /** How many events may wait. */
    public int maxEvents() {
        return maxEvents;
    }

    /** The directory of entries that were moved aside. */
    public Path rejectedDir() {
        return rejected;
    }

    private static void writeDurably(Path temp, byte[] bytes) throws IOException {
        Files.deleteIfExists(temp);
        try (FileChannel out =
                FileChannel.open(
                        temp,
                        Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                        OWNER_ONLY_FILE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(true);
        }
    }

    private static CloudEvent read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > EventFile.MAX_BYTES) {
            throw new EventFile.Corrupt(size + " bytes is larger than any event");
        }
        return EventFile.decode(Files.readAllBytes(file));
    }

    private void syncDirectory() throws IOException {
        // Makes the rename itself durable; on Linux a directory opens for reading and syncs.
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true);
        }
    }
}
