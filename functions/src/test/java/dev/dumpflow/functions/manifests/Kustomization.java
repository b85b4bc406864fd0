package dev.dumpflow.functions.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.dumpflow.localstack.broker.KnativeManifests;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.zjsonpatch.JsonPatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Renders a kustomization of knative/ without kustomize, so that tests do not need kubectl (which
 * fresh CI machines lack): its resources (files, and directories with a kustomization of their
 * own), the images it renames, and its RFC 6902 JSON patches aimed at one resource by kind and
 * name. Anything else kustomize can do fails the rendering, naming it, rather than being skipped;
 * {@code ExampleWithoutVolumeManifestTest} compares the result with {@code kubectl kustomize}'s.
 */
public final class Kustomization {

    private static final Set<String> KEYS =
            Set.of("apiVersion", "kind", "resources", "images", "patches");
    private static final Set<String> IMAGE_KEYS = Set.of("name", "newName", "newTag");
    private static final Set<String> PATCH_KEYS = Set.of("target", "patch", "path");
    private static final Set<String> TARGET_KEYS = Set.of("kind", "name");
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private Kustomization() {}

    /** The resources of the kustomization in a directory, in fabric8's typed model. */
    public static KnativeManifests render(Path directory) {
        List<HasMetadata> resources = new ArrayList<>();
        for (JsonNode tree : renderTrees(directory)) {
            resources.add(SERIALIZATION.unmarshal(tree.toString(), HasMetadata.class));
        }
        return KnativeManifests.of(resources);
    }

    /** The resources of the kustomization in a directory, as the trees kustomize would print. */
    public static List<JsonNode> renderTrees(Path directory) {
        Path file = directory.resolve("kustomization.yaml");
        JsonNode kustomization = readYaml(file).getFirst();
        refuseOthers(kustomization, KEYS, file, "");
        List<JsonNode> resources = new ArrayList<>();
        for (JsonNode resource : kustomization.path("resources")) {
            Path path = directory.resolve(resource.asText()).normalize();
            resources.addAll(Files.isDirectory(path) ? renderTrees(path) : readYaml(path));
        }
        for (JsonNode image : kustomization.path("images")) {
            refuseOthers(image, IMAGE_KEYS, file, "images[].");
            resources.forEach(r -> renameImage(r, image));
        }
        for (JsonNode patch : kustomization.path("patches")) {
            refuseOthers(patch, PATCH_KEYS, file, "patches[].");
            applyPatch(directory, file, patch, resources);
        }
        return resources;
    }

    private static void applyPatch(
            Path directory, Path file, JsonNode patch, List<JsonNode> resources) {
        JsonNode target = patch.path("target");
        refuseOthers(target, TARGET_KEYS, file, "patches[].target.");
        if (!target.has("kind") || !target.has("name")) {
            throw new IllegalArgumentException(
                    file + ": a patch must name its target's kind and name");
        }
        JsonNode ops =
                patch.has("path")
                        ? readYaml(directory.resolve(patch.path("path").asText())).getFirst()
                        : readYamlText(patch.path("patch").asText(), file);
        if (!ops.isArray()) {
            throw new IllegalArgumentException(
                    file
                            + ": only RFC 6902 JSON patches (a list of ops) are rendered here;"
                            + " a strategic merge patch needs kubectl kustomize");
        }
        List<Integer> matches = new ArrayList<>();
        for (int i = 0; i < resources.size(); i++) {
            JsonNode r = resources.get(i);
            if (r.path("kind").asText().equals(target.path("kind").asText())
                    && r.at("/metadata/name").asText().equals(target.path("name").asText())) {
                matches.add(i);
            }
        }
        if (matches.size() != 1) {
            throw new IllegalArgumentException(
                    file
                            + ": the patch's target "
                            + target
                            + " matches "
                            + matches.size()
                            + " resources, not one");
        }
        int index = matches.getFirst();
        try {
            resources.set(index, JsonPatch.apply(ops, resources.get(index)));
        } catch (RuntimeException e) {
            // A test op that does not hold stops the rendering, as it stops kustomize.
            throw new IllegalArgumentException(
                    file + ": the patch of " + target + " does not apply: " + e, e);
        }
    }

    /** Kustomize's images transformer, for the name, newName and newTag it is given here. */
    private static void renameImage(JsonNode resource, JsonNode image) {
        String name = image.path("name").asText();
        for (String list : List.of("initContainers", "containers")) {
            for (JsonNode container : resource.at("/spec/template/spec/" + list)) {
                String current = container.path("image").asText();
                String tag = null;
                if (current.startsWith(name + ":")) {
                    tag = current.substring(name.length() + 1);
                } else if (!current.equals(name)) {
                    continue;
                }
                String newName = image.path("newName").asText(name);
                String newTag = image.path("newTag").asText(tag);
                ((ObjectNode) container)
                        .put("image", newTag == null ? newName : newName + ":" + newTag);
            }
        }
    }

    private static void refuseOthers(JsonNode node, Set<String> known, Path file, String prefix) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new IllegalArgumentException(
                        file
                                + " uses "
                                + prefix
                                + name
                                + ", which this rendering does not do"
                                + " (only resources, images and JSON patches with a kind and"
                                + " name target); render it with kubectl kustomize");
            }
        }
    }

    private static List<JsonNode> readYaml(Path file) {
        try {
            return readDocuments(Files.readString(file), file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static JsonNode readYamlText(String text, Path file) {
        return readDocuments(text, file).getFirst();
    }

    private static List<JsonNode> readDocuments(String text, Path file) {
        try (var parser = YAML.createParser(text)) {
            List<JsonNode> documents = new ArrayList<>();
            for (Iterator<JsonNode> it = YAML.readValues(parser, JsonNode.class); it.hasNext(); ) {
                JsonNode document = it.next();
                if (document != null && !document.isNull() && !document.isMissingNode()) {
                    documents.add(document);
                }
            }
            if (documents.isEmpty()) {
                throw new IllegalArgumentException(file + " holds no YAML document");
            }
            return documents;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file, e);
        }
    }
}
