package dev.dumpflow.functions.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Runs a Kubernetes pod spec as a podman pod, the way a kubelet would run it: one shared network,
 * IPC and (with {@code shareProcessNamespace}) process namespace; each container with its own
 * memory limit, user, read-only root, dropped capabilities and no-new-privileges, as its security
 * context says; disk {@code emptyDir}s as host directories, {@code medium: Memory} ones as tmpfs
 * mounts of their {@code sizeLimit}; the Downward API's fields and resource limits as values.
 *
 * <p>A test changes what its scenario needs on the parsed spec before it starts a container, so the
 * rest stays the manifest's. Images are named as in the manifest and mapped by {@code images}.
 */
final class PodmanPod implements AutoCloseable {

    private final String name;
    private final String namespace;
    private final PodSpec spec;
    private final Map<String, String> images;
    private final Path work;
    private final String uid = UUID.randomUUID().toString();
    private final Map<String, String> volumes = new HashMap<>();
    private final Set<String> tmpfsMounts = new HashSet<>();
    private String ip;

    private PodmanPod(
            String name, String namespace, PodSpec spec, Map<String, String> images, Path work) {
        this.name = name;
        this.namespace = namespace;
        this.spec = spec;
        this.images = Map.copyOf(images);
        this.work = work;
    }

    /**
     * Creates and starts the pod (its infra container holds the namespaces and the IP) and its
     * volumes; containers start with {@link #start(String, String)}.
     */
    static PodmanPod create(
            String name, String namespace, PodSpec spec, Map<String, String> images, Path work)
            throws IOException, InterruptedException {
        PodmanPod pod = new PodmanPod(name, namespace, spec, images, work);
        pod.createNamespacesAndVolumes();
        return pod;
    }

    private void createNamespacesAndVolumes() throws IOException, InterruptedException {
        String share =
                Boolean.TRUE.equals(spec.getShareProcessNamespace()) ? "pid,ipc,net" : "ipc,net";
        Podman.run("pod", "create", "--name", name, "--share", share);
        Podman.run("pod", "start", name);
        String infra = Podman.run("pod", "inspect", "--format", "{{.InfraContainerID}}", name);
        ip = Podman.inspect(infra, "{{.NetworkSettings.IPAddress}}");
        for (Volume v : spec.getVolumes()) {
            if (v.getEmptyDir() == null) {
                throw new IllegalArgumentException(
                        "only emptyDir volumes run here: " + v.getName());
            }
            if ("Memory".equals(v.getEmptyDir().getMedium())) {
                // A tmpfs of the container that mounts it: its pages count against that
                // container's limit, as a Memory emptyDir's count against its writer's.
                String size =
                        Optional.ofNullable(v.getEmptyDir().getSizeLimit())
                                .map(q -> Quantity.getAmountInBytes(q).toBigInteger().toString())
                                .orElse("67108864");
                volumes.put(v.getName(), "type=tmpfs,tmpfs-mode=1777,tmpfs-size=" + size);
            } else {
                // An emptyDir is world-writable, as the kubelet makes it.
                Path dir = Files.createDirectories(work.resolve("volumes").resolve(v.getName()));
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
                volumes.put(v.getName(), "type=bind,source=" + dir);
            }
        }
    }

    /** The pod's IP, as {@code status.podIP} gives it. */
    String ip() {
        return ip;
    }

    /** The host directory of a disk {@code emptyDir}. */
    Path hostDirectory(String volume) {
        return work.resolve("volumes").resolve(volume);
    }

    /**
     * Starts the container named {@code container} (from {@code initContainers} or {@code
     * containers}) as the spec now says, under the podman name {@code as}, which it returns.
     */
    String start(String container, String as) throws IOException, InterruptedException {
        Container c = find(container);
        List<String> args =
                new ArrayList<>(List.of("run", "--detach", "--pod", name, "--name", as));
        SecurityContext sc =
                Optional.ofNullable(c.getSecurityContext()).orElse(new SecurityContext());
        PodSecurityContext psc =
                Optional.ofNullable(spec.getSecurityContext()).orElse(new PodSecurityContext());
        Long user = Optional.ofNullable(sc.getRunAsUser()).orElse(psc.getRunAsUser());
        Long group = Optional.ofNullable(sc.getRunAsGroup()).orElse(psc.getRunAsGroup());
        if (user != null) {
            args.addAll(List.of("--user", user + (group == null ? "" : ":" + group)));
        }
        if (psc.getFsGroup() != null) {
            args.addAll(List.of("--group-add", psc.getFsGroup().toString()));
        }
        if (Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem())) {
            args.add("--read-only");
        }
        if (Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
            args.addAll(List.of("--security-opt", "no-new-privileges"));
        }
        if (sc.getCapabilities() != null) {
            for (String drop :
                    Optional.ofNullable(sc.getCapabilities().getDrop()).orElse(List.of())) {
                args.addAll(List.of("--cap-drop", drop));
            }
            for (String add :
                    Optional.ofNullable(sc.getCapabilities().getAdd()).orElse(List.of())) {
                args.addAll(List.of("--cap-add", add));
            }
        }
        limitBytes(c)
                .ifPresent(
                        b -> args.addAll(List.of("--memory", b + "b", "--memory-swap", b + "b")));
        for (VolumeMount m : Optional.ofNullable(c.getVolumeMounts()).orElse(List.of())) {
            args.addAll(
                    List.of(
                            "--mount",
                            volumes.get(m.getName()) + ",destination=" + m.getMountPath()));
        }
        for (EnvVar e : Optional.ofNullable(c.getEnv()).orElse(List.of())) {
            args.addAll(List.of("--env", e.getName() + "=" + value(e)));
        }
        args.add(images.getOrDefault(c.getImage(), c.getImage()));
        args.addAll(Optional.ofNullable(c.getArgs()).orElse(List.of()));
        Podman.run(args.toArray(String[]::new));
        return as;
    }

    private Container find(String container) {
        List<Container> all =
                new ArrayList<>(Optional.ofNullable(spec.getInitContainers()).orElse(List.of()));
        all.addAll(spec.getContainers());
        return all.stream()
                .filter(c -> c.getName().equals(container))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no container " + container));
    }

    private static Optional<Long> limitBytes(Container c) {
        return Optional.ofNullable(c.getResources())
                .map(r -> r.getLimits())
                .map(l -> l.get("memory"))
                .map(q -> Quantity.getAmountInBytes(q).longValueExact());
    }

    /** An environment value, with the Downward API's fields resolved as the kubelet does. */
    private String value(EnvVar e) {
        if (e.getValueFrom() == null) {
            return Optional.ofNullable(e.getValue()).orElse("");
        }
        ObjectFieldSelector field = e.getValueFrom().getFieldRef();
        if (field != null) {
            return switch (field.getFieldPath()) {
                case "metadata.name" -> name;
                case "metadata.namespace" -> namespace;
                case "metadata.uid" -> uid;
                case "spec.nodeName" -> hostName();
                case "status.podIP" -> ip;
                default -> throw new IllegalArgumentException("field " + field.getFieldPath());
            };
        }
        ResourceFieldSelector resource = e.getValueFrom().getResourceFieldRef();
        if (resource != null && resource.getResource().equals("limits.memory")) {
            long bytes = limitBytes(find(resource.getContainerName())).orElseThrow();
            BigDecimal divisor =
                    resource.getDivisor() == null
                            ? BigDecimal.ONE
                            : Quantity.getAmountInBytes(resource.getDivisor());
            return new BigDecimal(bytes).divide(divisor).toBigInteger().toString();
        }
        throw new IllegalArgumentException("unsupported valueFrom of " + e.getName());
    }

    private static String hostName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            return "localhost";
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        Podman.run("pod", "rm", "--force", "--time", "5", name);
    }
}
