package dev.dumpflow.functions.index;

import dev.dumpflow.events.DumpArchived;
import dev.dumpflow.events.DumpIndexed;
import dev.dumpflow.events.EventTypes;
import dev.dumpflow.events.IndexRecord;
import dev.dumpflow.events.KubernetesContext;
import dev.dumpflow.functions.EventData;
import dev.dumpflow.functions.FunctionFailure;
import dev.dumpflow.functions.enrich.PodEnricher;
import dev.dumpflow.functions.growth.GrowthFinder;
import dev.dumpflow.functions.records.DumpRecords;
import io.quarkus.funqy.Funq;
import io.quarkus.funqy.knative.events.CloudEvent;
import io.quarkus.funqy.knative.events.CloudEventBuilder;
import io.quarkus.funqy.knative.events.CloudEventMapping;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * Indexes a stored dump: takes what the archive recorded ({@link DumpRecords}), enriches it through
 * the Kubernetes API, adds what grew since the workload's previous dump ({@link GrowthFinder}) and
 * writes its index record. The event only names the dump: a {@code dump.archived} that disagrees
 * with the record (another key, checksum, size or pod) is refused, and nothing in the index comes
 * from it.
 */
public class IndexFunction {

    private static final Logger LOG = Logger.getLogger(IndexFunction.class);
    private static final String SOURCE = "/dumpflow/index";

    private final PodEnricher enricher;
    private final IndexStore store;
    private final DumpRecords records;
    private final GrowthFinder growth;

    IndexFunction(
            PodEnricher enricher, IndexStore store, DumpRecords records, GrowthFinder growth) {
        this.enricher = enricher;
        this.store = store;
        this.records = records;
        this.growth = growth;
    }

    /**
     * Triggered by {@code dev.dumpflow.dump.archived}; replies {@code dev.dumpflow.dump.indexed},
     * which carries no download link. The reply's id derives from the dumpId, so a re-delivery
     * gives the same event for receivers to deduplicate.
     */
    @Funq("index")
    @CloudEventMapping(
            trigger = EventTypes.DUMP_ARCHIVED,
            responseType = EventTypes.DUMP_INDEXED,
            responseSource = SOURCE)
    public CloudEvent<DumpIndexed> index(CloudEvent<DumpArchived> event) {
        DumpArchived claimed = EventData.of(event);
        DumpArchived archived = recorded(claimed);
        KubernetesContext context = enricher.enrich(archived.dumpId(), archived.pod()).orElse(null);
        IndexRecord enriched = IndexRecord.from(archived).withKubernetes(context);
        IndexStore.Stored stored =
                store.write(enriched.withGrowth(growth.since(enriched).orElse(null)));
        IndexRecord record = stored.record();
        String key = stored.key();
        DumpIndexed indexed = new DumpIndexed(archived.dumpId(), key, record);
        LOG.infof(
                "dumpId=%s indexed at %s (workload %s, %s)",
                archived.dumpId(),
                key,
                record.pod().workload() == null ? "unknown" : record.pod().workload().name(),
                record.kubernetes() == null ? "not enriched" : "enriched");
        return CloudEventBuilder.create()
                .id(archived.dumpId() + ".indexed")
                .type(EventTypes.DUMP_INDEXED)
                .source(SOURCE)
                .subject(archived.dumpId())
                .dataSchema(EventTypes.dataSchema(EventTypes.DUMP_INDEXED).toString())
                .extensions(Map.of(EventTypes.DUMPID_EXTENSION, archived.dumpId()))
                .build(indexed);
    }

    /** The archive's record of the dump, when the event agrees with it. */
    private DumpArchived recorded(DumpArchived claimed) {
        String context = "dumpId=" + claimed.dumpId();
        DumpArchived record = records.require(claimed.dumpId());
        List<String> differences = new ArrayList<>();
        compare(differences, "bucket", record.bucket(), claimed.bucket());
        compare(differences, "key", record.key(), claimed.key());
        compare(differences, "sha256", record.sha256(), claimed.sha256());
        compare(differences, "rawBytes", record.rawBytes(), claimed.rawBytes());
        compare(differences, "storedBytes", record.storedBytes(), claimed.storedBytes());
        compare(differences, "pod.namespace", record.pod().namespace(), claimed.pod().namespace());
        compare(differences, "pod.name", record.pod().name(), claimed.pod().name());
        compare(differences, "pod.uid", record.pod().uid(), claimed.pod().uid());
        compare(differences, "pod.container", record.pod().container(), claimed.pod().container());
        if (!differences.isEmpty()) {
            throw FunctionFailure.claimRefused(
                    context
                            + ": refused, the dump.archived event disagrees with the archive's"
                            + " record on "
                            + String.join(", ", differences));
        }
        return record;
    }

    private static void compare(List<String> differences, String field, Object was, Object is) {
        if (!Objects.equals(was, is)) {
            differences.add(field);
        }
    }
}
