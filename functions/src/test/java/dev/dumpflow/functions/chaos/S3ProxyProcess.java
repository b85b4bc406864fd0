package dev.dumpflow.functions.chaos;

import dev.dumpflow.functions.e2e.ChildProcess;
import java.io.IOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * S3Proxy as its own process ({@code org.gaul.s3proxy.Main}, as the local stack starts it) over a
 * filesystem store, so that it can be stopped and started again on the same port and data.
 */
public final class S3ProxyProcess implements AutoCloseable {

    public static final String ACCESS_KEY = "chaos-access-key";
    public static final String SECRET_KEY = "chaos-secret-key";

    private final String host;
    private final int port;
    private final Path properties;
    private ChildProcess process;
    private int starts;

    private S3ProxyProcess(String host, int port, Path properties) {
        this.host = host;
        this.port = port;
        this.properties = properties;
    }

    /** Writes the configuration for a store under {@code dataDir} and starts the server. */
    static S3ProxyProcess start(int port, Path dataDir, Path workDir) throws Exception {
        return start("127.0.0.1", port, dataDir, workDir);
    }

    /** As {@link #start(int, Path, Path)}, listening on {@code host} (an IPv4 address). */
    public static S3ProxyProcess start(String host, int port, Path dataDir, Path workDir)
            throws Exception {
        Properties p = new Properties();
        p.setProperty("s3proxy.endpoint", "http://" + host + ":" + port);
        p.setProperty("s3proxy.authorization", "aws-v2-or-v4");
        p.setProperty("s3proxy.identity", ACCESS_KEY);
        p.setProperty("s3proxy.credential", SECRET_KEY);
        p.setProperty("jclouds.provider", "filesystem");
        p.setProperty("jclouds.identity", ACCESS_KEY);
        p.setProperty("jclouds.credential", SECRET_KEY);
        p.setProperty("jclouds.filesystem.basedir", dataDir.toString());
        Path file = workDir.resolve("s3proxy.properties");
        try (Writer out = Files.newBufferedWriter(file)) {
            p.store(out, "chaos run");
        }
        S3ProxyProcess s3 = new S3ProxyProcess(host, port, file);
        s3.start();
        return s3;
    }

    /** Starts the server (again) and waits until its port answers. */
    void start() throws Exception {
        starts++;
        process =
                ChildProcess.launch(
                        "s3proxy-" + starts,
                        List.of(
                                ChildProcess.java().toString(),
                                "-Xmx256m",
                                "-cp",
                                testClassPath(),
                                "org.gaul.s3proxy.Main",
                                "--properties",
                                properties.toString()),
                        Map.of());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try (Socket probe = new Socket(InetAddress.getByName(host), port)) {
                return;
            } catch (IOException notYet) {
                if (!process.alive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "S3Proxy did not listen on " + port + ":\n" + process.output());
                }
                Thread.sleep(100);
            }
        }
    }

    /** Stops the server (SIGTERM); its data stays. */
    void stop() throws InterruptedException {
        process.close();
    }

    public String endpoint() {
        return "http://" + host + ":" + port;
    }

    public String output() {
        return process.output();
    }

    /** The class path of the tests, which holds S3Proxy and its dependencies. */
    private static String testClassPath() {
        return System.getProperty(
                "surefire.test.class.path", System.getProperty("java.class.path"));
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.close();
        }
    }
}
