package dev.dumpflow.functions.archive;

import dev.dumpflow.events.DumpCause;
import dev.dumpflow.events.DumpClosed;
import dev.dumpflow.events.DumpFormat;
import dev.dumpflow.events.FetchLocation;
import dev.dumpflow.events.PodIdentity;
import dev.dumpflow.events.Samples;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;
import software.amazon.awssdk.services.s3.S3Client;

/** What the redaction tests share: the cluster's policy, events, stored objects and tokens. */
final class RedactedDumps {

    private RedactedDumps() {}

    /** A namespace with the redaction annotation, or none when {@code mode} is null. */
    static void namespace(KubernetesClient kube, String name, String mode) {
        var builder = new NamespaceBuilder().withNewMetadata().withName(name);
        if (mode != null) {
            builder.addToAnnotations("dumpflow.dev/redact", mode);
        }
        kube.namespaces().resource(builder.endMetadata().build()).createOr(e -> e.update());
    }

    /** Sets the annotation on a Deployment of the namespace. */
    static void workload(KubernetesClient kube, String namespace, String deployment, String mode) {
        kube.apps()
                .deployments()
                .inNamespace(namespace)
                .withName(deployment)
                .edit(
                        d -> {
                            d.getMetadata().getAnnotations().put("dumpflow.dev/redact", mode);
                            return d;
                        });
    }

    /** A dump.closed of the pod as the API knows it, fetched from the stand-in. */
    static DumpClosed closed(
            String dumpId,
            String fileName,
            DumpFormat format,
            long size,
            SidecarStandIn sidecar,
            String namespace,
            String pod,
            String uid) {
        return new DumpClosed(
                dumpId,
                fileName,
                size,
                Samples.CLOSED_AT,
                format,
                DumpCause.MANUAL,
                42L,
                new FetchLocation(
                        sidecar.url(dumpId),
                        ArchiveRequests.TOKEN,
                        Samples.CLOSED_AT.plusSeconds(3600)),
                new PodIdentity(namespace, pod, uid, null, "app", null, Map.of("app", "db")));
    }

    /** The stored object, decompressed into {@code file}. */
    static Path decompressed(S3Client s3, String bucket, String key, Path file) throws IOException {
        try (InputStream zst = s3.getObject(b -> b.bucket(bucket).key(key));
                InputStream in = new ZstdCompressorInputStream(zst)) {
            Files.copy(in, file);
        }
        return file;
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return DumpContent.sha256(in);
        }
    }

    /** {@code n} random tokens of 24 letters and digits, unlike anything a JVM holds. */
    static List<String> tokens(int n, long seed) {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        SplittableRandom random = new SplittableRandom(seed);
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder token = new StringBuilder("tk");
            for (int j = 0; j < 22; j++) {
                token.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            tokens.add(token.toString());
        }
        return tokens;
    }

    /**
     * The tokens found in the file in any encoding a JVM holds them in: ASCII (UTF-8, Latin-1
     * Strings), UTF-16BE (char arrays in HPROF, UTF-16 Strings) and UTF-16LE.
     */
    static List<String> found(Path file, List<String> tokens) throws IOException {
        // Latin-1 maps each byte to one char, and String.indexOf is vectorised.
        String haystack = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        List<String> found = new ArrayList<>();
        for (String token : tokens) {
            for (var charset :
                    List.of(
                            StandardCharsets.US_ASCII,
                            StandardCharsets.UTF_16BE,
                            StandardCharsets.UTF_16LE)) {
                String needle = new String(token.getBytes(charset), StandardCharsets.ISO_8859_1);
                if (haystack.contains(needle)) {
                    found.add(token + " (" + charset + ")");
                }
            }
        }
        return found;
    }
}
