package dev.dumpflow.events;

import java.time.Instant;

/**
 * The instants the contract accepts, from the Unix epoch to the last instant of the year 9999.
 *
 * <p>Why these bounds: every timestamp of the contract is an RFC 3339 {@code date-time} in the JSON
 * Schemas, and RFC 3339 writes years with four digits, so nothing after 9999 can be written in it;
 * storage keys date a dump as {@code {yyyy}/{mm}/{dd}} for the same reason. Java's {@link Instant}
 * reaches the year 1,000,000,000, past what {@link java.time.LocalDate} can hold, so a later
 * instant would fail deep inside a function instead of at the door. Nothing dumpflow dates can be
 * older than the Unix epoch: a file's mtime, a token's expiry, a Kubernetes timestamp. A node whose
 * clock was never set reports times near the epoch, and its dumps are still worth keeping, so the
 * window is not narrowed to "recent": a bad clock must not lose a dump.
 */
public final class TimeWindow {

    /** The earliest instant accepted: the Unix epoch. */
    public static final Instant EARLIEST = Instant.EPOCH;

    /** The latest instant accepted: the last nanosecond of the year 9999, in UTC. */
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private TimeWindow() {}

    /** Whether {@code instant} lies in the window, both ends included. */
    public static boolean contains(Instant instant) {
        return !instant.isBefore(EARLIEST) && !instant.isAfter(LATEST);
    }
}
