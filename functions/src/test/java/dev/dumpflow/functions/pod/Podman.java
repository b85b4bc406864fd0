package dev.dumpflow.functions.pod;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * podman as the project's scripts run it (images/podman-env.sh): the vfs store, and the settings of
 * images/containers.conf (runc, cgroupfs, ulimits the host allows) through CONTAINERS_CONF.
 */
final class Podman {

    static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
    private static final Path SETTINGS = REPOSITORY.resolve("images/containers.conf");
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(2);

    /**
     * The tag of the images the pod tests build and run: {@code DUMPFLOW_IMAGE_TAG}, as for
     * images/build.sh, else {@code dev}. Another tag keeps a test run from replacing the {@code
     * dev} images a concurrent build uses.
     */
    static final String IMAGE_TAG =
            System.getenv().getOrDefault("DUMPFLOW_IMAGE_TAG", "").isBlank()
                    ? "dev"
                    : System.getenv("DUMPFLOW_IMAGE_TAG").strip();

    private Podman() {}

    /**
     * Fails with a message that says what to install when this machine cannot run containers; a
     * test that needs them is never skipped in silence.
     */
    static void requireWorking() {
        try {
            run("info", "--format", "{{.Host.OCIRuntime.Name}}");
        } catch (IllegalStateException | IOException e) {
            throw new IllegalStateException(
                    "this machine cannot run containers: podman with runc is needed (on Debian:"
                            + " apt-get install podman runc mmdebstrap uidmap, as .ci/run does): "
                            + e.getMessage(),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@code podman <args>} and returns its standard output, trimmed; throws on failure. */
    static String run(String... args) throws IOException, InterruptedException {
        return run(COMMAND_TIMEOUT, args);
    }

    /** As {@link #run(String...)}, for a command that may take up to {@code timeout}. */
    static String run(Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("podman", "--storage-driver", "vfs"));
        command.addAll(List.of(args));
        // conmon leaves a file "oom" in its working directory when a container is OOM-killed.
        ProcessBuilder builder = new ProcessBuilder(command).directory(scratch());
        builder.environment().put("CONTAINERS_CONF", SETTINGS.toString());
        Result result = execute(builder, timeout);
        if (result.exit() != 0) {
            throw new IllegalStateException(
                    "podman "
                            + String.join(" ", args)
                            + " failed (exit "
                            + result.exit()
                            + "): "
                            + result.output());
        }
        return result.output().strip();
    }

    private static java.io.File scratch() throws IOException {
        return Files.createDirectories(
                        Path.of(System.getProperty("java.io.tmpdir"), "dumpflow-podman-cwd"))
                .toFile();
    }

    /** Runs a script of the repository (images/build.sh) with the same settings. */
    static String script(Duration timeout, String... command)
            throws IOException, InterruptedException {
        return script(timeout, java.util.Map.of(), command);
    }

    /** As {@link #script(Duration, String...)}, with more environment variables. */
    static String script(Duration timeout, java.util.Map<String, String> env, String... command)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(REPOSITORY.toFile());
        builder.environment().put("CONTAINERS_CONF", SETTINGS.toString());
        builder.environment().putAll(env);
        Result result = execute(builder, timeout);
        if (result.exit() != 0) {
            throw new IllegalStateException(
                    String.join(" ", command)
                            + " failed (exit "
                            + result.exit()
                            + "):\n"
                            + result.output());
        }
        return result.output();
    }

    /** The local name of one of dumpflow's images ({@code sidecar}, {@code functions}, ...). */
    static String image(String name) {
        return "localhost/dumpflow/" + name + ":" + IMAGE_TAG;
    }

    /**
     * Builds dumpflow's images with {@link #IMAGE_TAG} (all of them, or only those named, as {@code
     * images/build.sh --only} takes them); returns what the script printed.
     */
    static String buildImages(String... only) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("images/build.sh"));
        if (only.length > 0) {
            command.addAll(List.of("--only", String.join(",", only)));
        }
        return script(
                Duration.ofMinutes(10),
                java.util.Map.of("DUMPFLOW_IMAGE_TAG", IMAGE_TAG),
                command.toArray(String[]::new));
    }

    /** One {@code podman inspect --format} value of a container. */
    static String inspect(String container, String format)
            throws IOException, InterruptedException {
        return run("inspect", "--format", format, container);
    }

    private record Result(int exit, String output) {}

    private static Result execute(ProcessBuilder builder, Duration timeout)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("podman", ".log");
        try {
            builder.redirectErrorStream(true).redirectOutput(log.toFile());
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(
                        String.join(" ", builder.command()) + " did not finish within " + timeout);
            }
            return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
