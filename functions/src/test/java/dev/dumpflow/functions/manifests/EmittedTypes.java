package dev.dumpflow.functions.manifests;

import dev.dumpflow.events.EventTypes;
import dev.dumpflow.functions.FunctionFailure;
import dev.dumpflow.functions.ReplyTypes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationValue;
import org.jboss.jandex.DotName;
import org.jboss.jandex.Index;
import org.jboss.jandex.IndexView;
import org.jboss.jandex.Indexer;

/**
 * Which event types dumpflow emits, and who emits each: the sidecar's two types, every {@code
 * responseType} the compiled functions declare (annotations or {@code application.properties}),
 * every type of their {@link ReplyTypes} (a function may reply with more than its one {@code
 * responseType}), {@code dump.failed} from the dead-letter path, and the pod updates of the
 * manifests' ApiServerSource.
 */
final class EmittedTypes {

    static final DotName CLOUD_EVENT_MAPPING =
            DotName.createSimple("io.quarkus.funqy.knative.events.CloudEventMapping");

    static final DotName REPLY_TYPES = DotName.createSimple(ReplyTypes.class.getName());

    /** What the sidecar emits; it lives in another module, so it is stated here, once. */
    static final Map<String, String> SIDECAR =
            Map.of(
                    EventTypes.MEMORY_THRESHOLD_CROSSED, "sidecar (memory watcher)",
                    EventTypes.DUMP_CLOSED, "sidecar (dump-dir watcher)");

    /**
     * What Knative's sources of {@code knative/} send that dumpflow routes: the ApiServerSource's
     * pod updates (it sends adds and deletes too, which nothing routes and the Broker drops).
     * {@code ManifestContractTest} checks the source itself.
     */
    static final Map<String, String> KNATIVE_SOURCES =
            Map.of(
                    EventTypes.APISERVER_RESOURCE_UPDATE,
                    "ApiServerSource dumpflow-pods (Resource mode, enrolled pods)");

    private EmittedTypes() {}

    /** Type -> who emits it. */
    static Map<String, String> all() {
        Map<String, String> emitted = new TreeMap<>(SIDECAR);
        emitted.putAll(KNATIVE_SOURCES);
        emitted.put(EventTypes.DUMP_FAILED, "dead-letter path");
        responseTypes(indexOfMainClasses()).forEach((type, who) -> add(emitted, type, who));
        responseTypesInProperties().forEach((type, who) -> add(emitted, type, who));
        return emitted;
    }

    private static void add(Map<String, String> emitted, String type, String who) {
        emitted.merge(type, who, (a, b) -> a.contains(b) ? a : a + ", " + b);
    }

    /**
     * Type -> emitting method, from the {@code @CloudEventMapping} and {@link ReplyTypes} of
     * dumpflow's classes.
     */
    static Map<String, String> responseTypes(IndexView index) {
        Map<String, String> found = new TreeMap<>();
        for (AnnotationInstance mapping : index.getAnnotations(CLOUD_EVENT_MAPPING)) {
            String owner = mapping.target().toString();
            AnnotationValue responseType = mapping.value("responseType");
            boolean ours =
                    mapping.target().kind() == org.jboss.jandex.AnnotationTarget.Kind.METHOD
                            && mapping.target()
                                    .asMethod()
                                    .declaringClass()
                                    .name()
                                    .toString()
                                    .startsWith("dev.dumpflow.functions");
            if (ours && responseType != null && !responseType.asString().isBlank()) {
                found.put(responseType.asString(), owner);
            }
        }
        for (AnnotationInstance replies : index.getAnnotations(REPLY_TYPES)) {
            for (String type : replies.value().asStringArray()) {
                found.putIfAbsent(type, replies.target().toString());
            }
        }
        return found;
    }

    /** The functions' compiled classes (target/classes), indexed as Quarkus would see them. */
    static IndexView indexOfMainClasses() {
        Path classes;
        try {
            classes =
                    Path.of(
                            FunctionFailure.class
                                    .getProtectionDomain()
                                    .getCodeSource()
                                    .getLocation()
                                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        // A directory under surefire; the packaged jar under failsafe.
        try (FileSystem jar =
                Files.isRegularFile(classes) ? FileSystems.newFileSystem(classes) : null) {
            return indexOfClassesUnder(jar == null ? classes : jar.getPath("/"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static IndexView indexOfClassesUnder(Path root) throws IOException {
        Indexer indexer = new Indexer();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    indexer.index(in);
                }
            }
        }
        return indexer.complete();
    }

    /** Whether any compiled function declares a mapping at all. */
    static boolean anyFunctionMapped() {
        return !indexOfMainClasses().getAnnotations(CLOUD_EVENT_MAPPING).isEmpty()
                || !responseTypesInProperties().isEmpty();
    }

    static Index indexOf(Class<?>... classes) {
        try {
            return Index.of(classes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Funqy also takes {@code quarkus.funqy.knative-events.mapping.<fn>.response-type}. */
    private static Map<String, String> responseTypesInProperties() {
        Map<String, String> found = new TreeMap<>();
        Path file = Path.of("src/main/resources/application.properties");
        if (!Files.exists(file)) {
            return found;
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        properties.stringPropertyNames().stream()
                .filter(k -> k.startsWith("quarkus.funqy.knative-events.mapping."))
                .filter(k -> k.endsWith(".response-type"))
                .forEach(k -> found.put(properties.getProperty(k).trim(), k));
        return found;
    }
}
