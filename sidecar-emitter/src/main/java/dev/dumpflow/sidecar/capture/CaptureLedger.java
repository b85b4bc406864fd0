package dev.dumpflow.sidecar.capture;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
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

    private static final TypeReference<Map<String, List<Instant>>> SHAPE = new TypeReference<>() {};

    private final Path file;
    private final ObjectMapper json;

    public CaptureLedger(Path stateDir) {
        this.file = stateDir.resolve("captures.json");
        this.json =
                new ObjectMapper()
                        .findAndRegisterModules()
                        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
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
            Map<String, List<Instant>> read = json.readValue(file.toFile(), SHAPE);
            Map<String, List<Instant>> copy = new HashMap<>();
            read.forEach((k, v) -> copy.put(k, new ArrayList<>(v)));
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the capture ledger " + file, e);
        }
    }

    /** Replaces the ledger atomically. */
    public void save(Map<String, List<Instant>> captures) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, json.writeValueAsBytes(captures));
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
