package dev.dumpflow.sidecar.serve;

import java.time.Duration;

/**
 * The limits the JDK's HTTP server enforces before a handler runs, which no handler can: how long a
 * client may take to send its request (or its first byte), how long a kept-alive connection may sit
 * idle, and how many connections may be open at once.
 *
 * <p>The server takes them from the system properties documented in the {@code jdk.httpserver}
 * module, and reads them once per process, when its first server is made; so they are set here,
 * just before the file server, the sidecar's only server, is made. In a process that made another
 * server first (a test JVM, say) they have no effect. {@code maxReqTime} and {@code idleInterval}
 * are whole seconds (JDK-8387598 corrects the module's javadoc, which said milliseconds for {@code
 * maxReqTime}). The server closes idle connections and connections that sent nothing in a sweep
 * every 10 seconds, so those close up to 10 s late; a request still being sent is checked every
 * second.
 */
final class ConnectionLimits {

    private ConnectionLimits() {}

    /** Sets the JDK server's properties from the limits; call before the server is made. */
    static void applyToJdkServer(ServeLimits limits) {
        System.setProperty(
                "sun.net.httpserver.maxReqTime", Long.toString(seconds(limits.headerTimeout())));
        System.setProperty(
                "sun.net.httpserver.idleInterval", Long.toString(seconds(limits.idleTimeout())));
        System.setProperty(
                "jdk.httpserver.maxConnections", Integer.toString(limits.maxConnections()));
    }

    /** Whole seconds, rounded up: a timeout under a second must not become none. */
    static long seconds(Duration timeout) {
        long seconds = timeout.toSeconds();
        return timeout.equals(Duration.ofSeconds(seconds)) ? seconds : seconds + 1;
    }
}
