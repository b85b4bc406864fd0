package dev.dumpflow.localstack.broker;

import io.fabric8.knative.eventing.v1.Broker;
import io.fabric8.knative.eventing.v1.Trigger;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The resources of a directory of Kubernetes and Knative manifests, parsed into fabric8's typed
 * model. The files of {@code knative/} are the routing truth for both a cluster and the local
 * broker.
 */
public final class KnativeManifests {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private final List<HasMetadata> resources;

    private KnativeManifests(List<HasMetadata> resources) {
        this.resources = List.copyOf(resources);
    }

    /**
     * Parses every {@code .yaml} file under a directory, its subdirectories included, in name
     * order. Kustomize's own {@code kustomization.yaml} is not a resource and is skipped.
     *
     * @throws IllegalArgumentException naming the file that does not parse
     */
    public static KnativeManifests load(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException(
                    "no manifests directory at " + directory.toAbsolutePath());
        }
        List<HasMetadata> resources = new ArrayList<>();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file :
                    files.filter(KnativeManifests::isResourceFile)
                            .sorted(Comparator.comparing(Path::toString))
                            .toList()) {
                resources.addAll(parse(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read manifests under " + directory, e);
        }
        return new KnativeManifests(resources);
    }

    /** Wraps resources already in memory, such as a mutated copy in a test. */
    public static KnativeManifests of(List<HasMetadata> resources) {
        return new KnativeManifests(resources);
    }

    /** Every resource, in file order. */
    public List<HasMetadata> resources() {
        return resources;
    }

    /** The resources of one type, for example {@code ofType(Trigger.class)}. */
    public <T extends HasMetadata> List<T> ofType(Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The Brokers. */
    public List<Broker> brokers() {
        return ofType(Broker.class);
    }

    /** The Triggers. */
    public List<Trigger> triggers() {
        return ofType(Trigger.class);
    }

    /** The namespace of a resource, {@code default} when its manifest names none. */
    public static String namespaceOf(HasMetadata resource) {
        String namespace = resource.getMetadata().getNamespace();
        return namespace == null || namespace.isBlank() ? "default" : namespace;
    }

    private static boolean isResourceFile(Path file) {
        String name = file.getFileName().toString();
        return Files.isRegularFile(file)
                && (name.endsWith(".yaml") || name.endsWith(".yml"))
                && !name.startsWith("kustomization.");
    }

    private static List<HasMetadata> parse(Path file) throws IOException {
        Object parsed;
        try (var in = Files.newInputStream(file)) {
            parsed = SERIALIZATION.unmarshal(in);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot parse manifest " + file + ": " + e, e);
        }
        return switch (parsed) {
            case KubernetesList list -> list.getItems();
            case List<?> list ->
                    list.stream()
                            .filter(HasMetadata.class::isInstance)
                            .map(HasMetadata.class::cast)
                            .toList();
            case HasMetadata resource -> List.of(resource);
            case null -> List.of();
            default ->
                    throw new IllegalArgumentException(
                            "manifest " + file + " holds no Kubernetes resource");
        };
    }
}
