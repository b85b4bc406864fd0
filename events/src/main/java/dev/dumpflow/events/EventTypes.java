package dev.dumpflow.events;

import java.net.URI;
import java.util.List;

/**
 * The CloudEvent {@code type} strings of the dumpflow contract, and the attributes that go with
 * them.
 *
 * <p>Knative Trigger filters in {@code knative/} use exactly these strings; a test fails when the
 * two disagree.
 */
public final class EventTypes {

    /** A watched process's memory rose past a threshold. Data: {@link MemoryThresholdCrossed}. */
    public static final String MEMORY_THRESHOLD_CROSSED = "dev.dumpflow.memory.threshold.crossed";

    /**
     * A dump file was closed after writing, or moved into a dump directory. Data: {@link
     * DumpClosed}.
     */
    public static final String DUMP_CLOSED = "dev.dumpflow.dump.closed";

    /** A dump is stored in the bucket. Data: {@link DumpArchived}. */
    public static final String DUMP_ARCHIVED = "dev.dumpflow.dump.archived";

    /** A dump's index record is written. Data: {@link DumpIndexed}. */
    public static final String DUMP_INDEXED = "dev.dumpflow.dump.indexed";

    /** A dump event exhausted its retries and was dead-lettered. Data: {@link DumpFailed}. */
    public static final String DUMP_FAILED = "dev.dumpflow.dump.failed";

    /**
     * The kernel killed a container of an enrolled pod for exceeding its memory limit ({@code
     * OOMKilled}). Data: {@link ContainerOomKilled}.
     */
    public static final String CONTAINER_OOMKILLED = "dev.dumpflow.container.oomkilled";

    /** Every type of the contract. */
    public static final List<String> ALL =
            List.of(
                    MEMORY_THRESHOLD_CROSSED,
                    DUMP_CLOSED,
                    DUMP_ARCHIVED,
                    DUMP_INDEXED,
                    DUMP_FAILED,
                    CONTAINER_OOMKILLED);

    /**
     * Knative's ApiServerSource in Resource mode: a watched object changed, and the data is the
     * whole object as the API server showed it. dumpflow watches its enrolled pods this way. The
     * type and its data are Knative's and Kubernetes', so it is not one of {@link #ALL} and has no
     * schema here; a Trigger routes it all the same.
     */
    public static final String APISERVER_RESOURCE_UPDATE = "dev.knative.apiserver.resource.update";

    /** The types of Knative's own sources that dumpflow's Triggers route to its functions. */
    public static final List<String> FROM_KNATIVE_SOURCES = List.of(APISERVER_RESOURCE_UPDATE);

    /** The CloudEvents extension that carries the correlation key of a dump. */
    public static final String DUMPID_EXTENSION = "dumpid";

    /** The content type of every event's data. */
    public static final String DATA_CONTENT_TYPE = "application/json";

    private static final String TYPE_PREFIX = "dev.dumpflow.";
    private static final String SCHEMA_BASE = "https://dumpflow.dev/schemas/v1/";

    private EventTypes() {}

    /**
     * The {@code dataschema} of a type: the {@code $id} of its JSON Schema, which is also on the
     * classpath at {@link #schemaResource(String)}.
     */
    public static URI dataSchema(String type) {
        return URI.create(SCHEMA_BASE + shortName(type) + ".json");
    }

    /**
     * The classpath location of a type's JSON Schema, for example {@code
     * schemas/v1/dump.closed.json}.
     */
    public static String schemaResource(String type) {
        return "schemas/v1/" + shortName(type) + ".json";
    }

    /** Whether a string is one of the contract's types. */
    public static boolean isKnown(String type) {
        return ALL.contains(type);
    }

    private static String shortName(String type) {
        if (!isKnown(type)) {
            throw new IllegalArgumentException("unknown dumpflow event type: " + type);
        }
        return type.substring(TYPE_PREFIX.length());
    }
}
