package dev.dumpflow.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Why a dump was not saved, for machines: the {@code code} of {@link DumpFailed}. */
public enum FailureCode {
    /** A dump event exhausted its retries and the Broker dead-lettered it. */
    DEAD_LETTERED("dead-lettered"),
    /**
     * A dump with this dumpId is already stored with other content; the stored dump and its record
     * were left as they were.
     */
    CONFLICT("conflict"),
    /**
     * The {@code dump.closed} claim did not hold against the Kubernetes API (pod, UID, address,
     * port or path), so nothing was fetched.
     */
    CLAIM_REFUSED("claim-refused"),
    /** The redaction policy asked for could not be applied, so the dump was not stored. */
    UNREDACTABLE("unredactable");

    private final String wire;

    FailureCode(String wire) {
        this.wire = wire;
    }

    /** The value as it appears in JSON. */
    @JsonValue
    public String wire() {
        return wire;
    }

    /** Parses the JSON value. */
    @JsonCreator
    public static FailureCode of(String wire) {
        return Wire.parse(FailureCode.class, values(), wire, FailureCode::wire);
    }
}
