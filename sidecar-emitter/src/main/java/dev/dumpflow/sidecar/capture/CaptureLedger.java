package dev.dumpflow.sidecar.capture;

import dev.dumpflow.sidecar.json.JsonParser;
import dev.dumpflow.sidecar.json.JsonWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * When each program was last captured, persisted in a small JSON file so that the limits survive a
 * sidecar restart. Written whole to a temporary file, forced to disk and renamed over the old one:
 * a crash leaves either the old or the new ledger, never half of one.
 */
public final class CaptureLedger {

    private final Path file;

    public CaptureLedger(Path stateDir) {
        this.file = stateDir.resolve("captures.json");
    }

    /** The file it persists to. */
    public Path file() {
        return file;
    }

    /**
     * The capture times per program key; empty when there is no ledger yet.
     *
     * @throws UncheckedIOException when the file exists but cannot be read or parsed
     */
    public Map<String, List<Instant>> load() {
        if (!Files.exists(file)) {
            return new HashMap<>();
        }
        try {
            return parse(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the capture ledger " + file, e);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new UncheckedIOException(
                    "cannot read the capture ledger " + file, new IOException(e.getMessage(), e));
        }
    }

    /** {@code {"<program key>": ["<ISO-8601 instant>", ...], ...}}, as {@link #save} writes it. */
    private static Map<String, List<Instant>> parse(byte[] json) {
        if (!(JsonParser.parse(json) instanceof Map<?, ?> programs)) {
            throw new IllegalArgumentException("not a JSON object");
        }
        Map<String, List<Instant>> captures = new HashMap<>();
        programs.forEach(
                (key, times) -> {
                    if (!(times instanceof List<?> list)) {
                        throw new IllegalArgumentException("the times of " + key + " are no list");
                    }
                    List<Instant> instants = new ArrayList<>(list.size());
                    for (Object time : list) {
                        if (!(time instanceof String text)) {
                            throw new IllegalArgumentException(
                                    "a time of " + key + " is not a string");
                        }
                        instants.add(Instant.parse(text));
                    }
                    captures.put((String) key, instants);
                });
        return captures;
    }

    /** Replaces the ledger atomically. */
    public void save(Map<String, List<Instant>> captures) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, JsonWriter.toBytes(captures));
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(
                    tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the capture ledger " + file, e);
        }
    }
}
