package dev.dumpflow.sidecar.emit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The OIDC token the sidecar presents to the Broker, read from the file Knative's SinkBinding
 * mounts ({@code /oidc/token}) when Eventing's {@code authentication-oidc} feature is on.
 *
 * <p>Read afresh for every send: the SinkBinding controller renews the token in its Secret before
 * it expires, and the kubelet swaps the projected file, so a token kept in memory would go stale.
 * No file means no OIDC in this cluster, and events go without a token. A file that exists but
 * cannot be read, is empty, or holds what no HTTP header may carry is an {@link IOException}, which
 * the sender treats like a failed send: the event stays in the outbox and is tried again.
 *
 * <p>Messages name the file, never its content.
 */
final class SinkToken {

    private final Path file;

    SinkToken(Path file) {
        this.file = file;
    }

    /** The file this reads, for messages. */
    Path file() {
        return file;
    }

    /**
     * The token, or empty when the file does not exist.
     *
     * @throws IOException when the file exists but gives no usable token
     */
    Optional<String> read() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException absent) {
            return Optional.empty();
        } catch (IOException unreadable) {
            throw new IOException(
                    "the sink token file "
                            + file
                            + " cannot be read ("
                            + unreadable.getClass().getSimpleName()
                            + ")",
                    unreadable);
        }
        String token = new String(bytes, StandardCharsets.US_ASCII).strip();
        if (token.isEmpty()) {
            throw new IOException("the sink token file " + file + " is empty");
        }
        // A JWT is visible ASCII. Anything else would be refused by the HTTP client with an
        // exception that quotes the header value, so it is refused here without quoting it.
        if (!token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IOException(
                    "the sink token file " + file + " holds characters no HTTP header may carry");
        }
        return Optional.of(token);
    }
}
