package dev.dumpflow.sidecar.serve;

import dev.dumpflow.sidecar.config.ConfigException;
import dev.dumpflow.sidecar.config.Env;
import java.time.Duration;

/**
 * What the file server grants its clients, so that no number of them, token holders included, can
 * exhaust the sidecar's memory or keep an archive from its dump.
 *
 * @param maxTransfers {@code DUMPFLOW_MAX_TRANSFERS}: dump bodies sent at once; one more GET is
 *     answered 503 with Retry-After. Default 4
 * @param maxTransfersPerDump {@code DUMPFLOW_MAX_TRANSFERS_PER_DUMP}: bodies of one dump sent at
 *     once, at most {@code maxTransfers}, so that the holders of one token cannot take every
 *     transfer. Default 2
 * @param sendTimeout {@code DUMPFLOW_SEND_TIMEOUT}: a transfer whose client has taken nothing for
 *     this long is cut (its connection closed) and its transfer freed. Default 30s
 * @param headerTimeout {@code DUMPFLOW_HEADER_TIMEOUT}: a connection that has not sent its whole
 *     request this long after it began is closed, and so is one that sent nothing at all. Whole
 *     seconds, rounded up. Default 10s
 * @param idleTimeout {@code DUMPFLOW_IDLE_TIMEOUT}: a kept-alive connection idle this long between
 *     requests is closed. Whole seconds, rounded up. Default 30s
 * @param maxConnections {@code DUMPFLOW_MAX_CONNECTIONS}: connections open at once, whatever their
 *     state; one more is closed as soon as it is accepted. Default 128
 */
public record ServeLimits(
        int maxTransfers,
        int maxTransfersPerDump,
        Duration sendTimeout,
        Duration headerTimeout,
        Duration idleTimeout,
        int maxConnections) {

    /** See {@link #maxTransfers()}. */
    public static final String MAX_TRANSFERS = "DUMPFLOW_MAX_TRANSFERS";

    /** See {@link #maxTransfersPerDump()}. */
    public static final String MAX_TRANSFERS_PER_DUMP = "DUMPFLOW_MAX_TRANSFERS_PER_DUMP";

    /** See {@link #sendTimeout()}. */
    public static final String SEND_TIMEOUT = "DUMPFLOW_SEND_TIMEOUT";

    /** See {@link #headerTimeout()}. */
    public static final String HEADER_TIMEOUT = "DUMPFLOW_HEADER_TIMEOUT";

    /** See {@link #idleTimeout()}. */
    public static final String IDLE_TIMEOUT = "DUMPFLOW_IDLE_TIMEOUT";

    /** See {@link #maxConnections()}. */
    public static final String MAX_CONNECTIONS = "DUMPFLOW_MAX_CONNECTIONS";

    /** The limits when no variable is set. */
    public static final ServeLimits DEFAULT =
            new ServeLimits(
                    4,
                    2,
                    Duration.ofSeconds(30),
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(30),
                    128);

    public ServeLimits {
        if (maxTransfers < 1 || maxTransfersPerDump < 1 || maxTransfersPerDump > maxTransfers) {
            throw new IllegalArgumentException(
                    "need 1 <= maxTransfersPerDump <= maxTransfers, got "
                            + maxTransfersPerDump
                            + " and "
                            + maxTransfers);
        }
        if (maxConnections <= maxTransfers) {
            throw new IllegalArgumentException(
                    "maxConnections must exceed maxTransfers, so that a refusal can be answered");
        }
        for (Duration d : new Duration[] {sendTimeout, headerTimeout, idleTimeout}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive");
            }
        }
    }

    /** Parses the file server's limits; fails naming the variable and its accepted forms. */
    public static ServeLimits fromEnv(Env env) {
        int maxTransfers = env.positiveInt(MAX_TRANSFERS, DEFAULT.maxTransfers, 1024);
        int perDump =
                env.positiveInt(
                        MAX_TRANSFERS_PER_DUMP,
                        Math.min(DEFAULT.maxTransfersPerDump, maxTransfers),
                        1024);
        if (perDump > maxTransfers) {
            throw ConfigException.invalid(
                    MAX_TRANSFERS_PER_DUMP,
                    Integer.toString(perDump),
                    "a whole number from 1 to " + MAX_TRANSFERS + " (" + maxTransfers + ")");
        }
        int maxConnections = env.positiveInt(MAX_CONNECTIONS, DEFAULT.maxConnections, 65535);
        if (maxConnections <= maxTransfers) {
            throw ConfigException.invalid(
                    MAX_CONNECTIONS,
                    Integer.toString(maxConnections),
                    "a whole number above " + MAX_TRANSFERS + " (" + maxTransfers + ")");
        }
        return new ServeLimits(
                maxTransfers,
                perDump,
                env.duration(SEND_TIMEOUT, DEFAULT.sendTimeout),
                env.duration(HEADER_TIMEOUT, DEFAULT.headerTimeout),
                env.duration(IDLE_TIMEOUT, DEFAULT.idleTimeout),
                maxConnections);
    }

    /** The same limits with other transfer caps, for example in a test. */
    public ServeLimits withTransfers(int max, int perDump) {
        return new ServeLimits(
                max, perDump, sendTimeout, headerTimeout, idleTimeout, maxConnections);
    }

    /** The same limits with another send timeout. */
    public ServeLimits withSendTimeout(Duration timeout) {
        return new ServeLimits(
                maxTransfers,
                maxTransfersPerDump,
                timeout,
                headerTimeout,
                idleTimeout,
                maxConnections);
    }
}
