package dev.dumpflow.localstack.broker;

import io.fabric8.knative.duck.v1.Destination;
import io.fabric8.knative.duck.v1.KReference;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.net.URI;
import java.util.Objects;

/**
 * Turns a Knative {@code Destination} into the URL the local broker posts to. A {@code ref} must
 * name a Service of the manifests (Knative or Kubernetes); it resolves to the configured local base
 * URL, with the destination's {@code uri} as the path. A {@code uri} alone is used as is.
 */
final class SubscriberResolver {

    private final KnativeManifests manifests;
    private final URI serviceBaseUrl;

    SubscriberResolver(KnativeManifests manifests, URI serviceBaseUrl) {
        this.manifests = Objects.requireNonNull(manifests, "manifests");
        this.serviceBaseUrl = Objects.requireNonNull(serviceBaseUrl, "serviceBaseUrl");
    }

    /**
     * The URL of a destination.
     *
     * @param namespace the namespace of the resource holding the destination, used when the ref
     *     names none
     * @throws IllegalArgumentException when the destination is empty or its ref is not a Service
     *     defined in the manifests
     */
    URI resolve(Destination destination, String namespace, String owner) {
        if (destination == null || (destination.getRef() == null && destination.getUri() == null)) {
            throw new IllegalArgumentException(owner + ": the destination has neither ref nor uri");
        }
        KReference ref = destination.getRef();
        if (ref == null) {
            URI uri = URI.create(destination.getUri());
            if (!uri.isAbsolute()) {
                throw new IllegalArgumentException(
                        owner + ": a uri without a ref must be absolute, was " + uri);
            }
            return uri;
        }
        HasMetadata target = find(ref, namespace, owner);
        if (!"Service".equals(target.getKind())) {
            throw new IllegalArgumentException(
                    owner
                            + ": only a Service can be a subscriber locally, not "
                            + target.getKind());
        }
        String path = destination.getUri() == null ? "/" : destination.getUri();
        String base = serviceBaseUrl.toString().replaceAll("/+$", "");
        return URI.create(base + (path.startsWith("/") ? path : "/" + path));
    }

    private HasMetadata find(KReference ref, String namespace, String owner) {
        String wantedNamespace = ref.getNamespace() == null ? namespace : ref.getNamespace();
        return manifests.resources().stream()
                .filter(r -> r.getKind().equals(ref.getKind()))
                .filter(
                        r ->
                                ref.getApiVersion() == null
                                        || r.getApiVersion().equals(ref.getApiVersion()))
                .filter(r -> r.getMetadata().getName().equals(ref.getName()))
                .filter(r -> KnativeManifests.namespaceOf(r).equals(wantedNamespace))
                .findFirst()
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "%s: the ref %s %s/%s/%s is not defined in the manifests"
                                                .formatted(
                                                        owner,
                                                        ref.getApiVersion(),
                                                        ref.getKind(),
                                                        wantedNamespace,
                                                        ref.getName())));
    }
}
