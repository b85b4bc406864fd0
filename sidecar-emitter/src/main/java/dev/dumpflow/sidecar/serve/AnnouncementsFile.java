package dev.dumpflow.sidecar.serve;

import dev.dumpflow.events.DumpCause;
import dev.dumpflow.events.DumpFormat;
import dev.dumpflow.sidecar.json.JsonParser;
import dev.dumpflow.sidecar.json.JsonWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The state file of {@link AnnouncedDumps}: a JSON array with one object per dump, its members
 * named as the components of {@link AnnouncedDump}, the file as a {@code file:///} URI and instants
 * in ISO-8601. This is the form the sidecar wrote with Jackson, byte for byte, so that either
 * version reads what the other wrote. State from before {@code announcedAt} and {@code
 * announcements} were kept loads as announced once when the file closed; a member this class does
 * not know is refused, as Jackson refused it.
 */
final class AnnouncementsFile {

    private static final Set<String> MEMBERS =
            Set.of(
                    "dumpId",
                    "file",
                    "sizeBytes",
                    "modifiedMillis",
                    "closedAt",
                    "format",
                    "cause",
                    "pid",
                    "token",
                    "expiresAt",
                    "announcedAt",
                    "announcements");

    private static final System.Logger LOG = System.getLogger(AnnouncementsFile.class.getName());
    private static final String NAME = "announcements.json";

    private final Path file;

    AnnouncementsFile(Path file) {
        this.file = file;
    }

    /**
     * The state file in {@code stateDir}, which is made owner-only if missing.
     *
     * @throws UncheckedIOException when the directory cannot be made
     */
    static AnnouncementsFile in(Path stateDir) {
        try {
            Files.createDirectories(
                    stateDir,
                    PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rwx------")));
        } catch (IOException unwritable) {
            throw new UncheckedIOException("cannot use the state in " + stateDir, unwritable);
        }
        return new AnnouncementsFile(stateDir.resolve(NAME));
    }

    /**
     * {@link #load()} at start-up: a file that cannot be read stops the sidecar, which must not
     * start without knowing what it announced.
     *
     * @throws UncheckedIOException saying what to do about it
     */
    List<AnnouncedDump> loadAtStartUp() {
        try {
            return load();
        } catch (IOException unreadable) {
            LOG.log(
                    System.Logger.Level.ERROR,
                    "cannot read the state file {0}: {1}. Not starting: the file lists the"
                            + " dumps already announced and their tokens. Repair it, or move"
                            + " it aside to start afresh; the dumps still on disk are then"
                            + " announced again under new ids.",
                    file,
                    unreadable.getMessage());
            throw new UncheckedIOException(
                    "cannot read the state file " + file + ": " + unreadable.getMessage(),
                    unreadable);
        }
    }

    /**
     * {@link #save(List)}, where a failure is the sidecar's to stop on.
     *
     * @throws UncheckedIOException when the file cannot be written
     */
    void saveOrFail(List<AnnouncedDump> dumps) {
        try {
            save(dumps);
        } catch (IOException unwritable) {
            throw new UncheckedIOException("cannot write the state file " + file, unwritable);
        }
    }

    Path path() {
        return file;
    }

    /**
     * The dumps in the file, in its order; empty when there is no file yet.
     *
     * @throws IOException when the file cannot be read or is not a state file, saying why
     */
    List<AnnouncedDump> load() throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        byte[] json = Files.readAllBytes(file);
        try {
            if (!(JsonParser.parse(json) instanceof List<?> dumps)) {
                throw new IllegalArgumentException("not a JSON array");
            }
            List<AnnouncedDump> loaded = new ArrayList<>(dumps.size());
            for (Object dump : dumps) {
                loaded.add(dump(dump, loaded.size()));
            }
            return loaded;
        } catch (IllegalArgumentException | DateTimeException | FileSystemNotFoundException bad) {
            throw new IOException(bad.getMessage(), bad);
        }
    }

    /** Replaces the file: written owner-only to a temporary file that is renamed over it. */
    void save(List<AnnouncedDump> dumps) throws IOException {
        List<Map<String, Object>> objects = new ArrayList<>(dumps.size());
        dumps.forEach(dump -> objects.add(object(dump)));
        byte[] json = JsonWriter.toBytes(objects);
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        Files.createFile(
                temp,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.WRITE)) {
            out.write(json);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static Map<String, Object> object(AnnouncedDump dump) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("dumpId", dump.dumpId());
        object.put("file", dump.file().toUri().toString());
        object.put("sizeBytes", dump.sizeBytes());
        object.put("modifiedMillis", dump.modifiedMillis());
        object.put("closedAt", dump.closedAt());
        object.put("format", dump.format().wire());
        object.put("cause", dump.cause().wire());
        object.put("pid", dump.pid());
        object.put("token", dump.token());
        object.put("expiresAt", dump.expiresAt());
        object.put("announcedAt", dump.announcedAt());
        object.put("announcements", dump.announcements());
        return object;
    }

    private static AnnouncedDump dump(Object value, int index) {
        if (!(value instanceof Map<?, ?> object)) {
            throw new IllegalArgumentException("dumps[" + index + "] is not a JSON object");
        }
        try {
            for (Object name : object.keySet()) {
                if (!MEMBERS.contains(name)) {
                    throw new IllegalArgumentException("unknown member \"" + name + "\"");
                }
            }
            String file = text(object, "file");
            String format = text(object, "format");
            String cause = text(object, "cause");
            long announcements = number(object, "announcements");
            if (announcements > Integer.MAX_VALUE || announcements < Integer.MIN_VALUE) {
                throw new IllegalArgumentException("announcements is out of range");
            }
            return new AnnouncedDump(
                    text(object, "dumpId"),
                    file == null ? null : Path.of(URI.create(file)),
                    number(object, "sizeBytes"),
                    number(object, "modifiedMillis"),
                    instant(object, "closedAt"),
                    format == null ? null : DumpFormat.of(format),
                    cause == null ? null : DumpCause.of(cause),
                    object.get("pid") == null ? null : number(object, "pid"),
                    text(object, "token"),
                    instant(object, "expiresAt"),
                    instant(object, "announcedAt"),
                    (int) announcements);
        } catch (IllegalArgumentException | DateTimeException | FileSystemNotFoundException bad) {
            // Names the dump by its position only: a token must not reach the log.
            throw new IllegalArgumentException("dumps[" + index + "]: " + bad.getMessage(), bad);
        }
    }

    /** A string member; null when absent or null. */
    private static String text(Map<?, ?> object, String name) {
        Object value = object.get(name);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw new IllegalArgumentException(name + " is not a string");
    }

    /** An integer member; 0 when absent or null, as Jackson gave a primitive. */
    private static long number(Map<?, ?> object, String name) {
        Object value = object.get(name);
        if (value == null) {
            return 0;
        }
        if (value instanceof Long number) {
            return number;
        }
        throw new IllegalArgumentException(name + " is not an integer of 64 bits");
    }

    private static Instant instant(Map<?, ?> object, String name) {
        String text = text(object, name);
        return text == null ? null : Instant.parse(text);
    }
}
