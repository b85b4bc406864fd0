package dev.dumpflow.functions.index;

import dev.dumpflow.events.DumpArchived;
import dev.dumpflow.events.DumpIndexed;
import dev.dumpflow.events.EventTypes;
import dev.dumpflow.events.IndexRecord;
import dev.dumpflow.events.KubernetesContext;
import dev.dumpflow.functions.EventData;
import dev.dumpflow.functions.enrich.PodEnricher;
import io.quarkus.funqy.Funq;
import io.quarkus.funqy.knative.events.CloudEvent;
import io.quarkus.funqy.knative.events.CloudEventBuilder;
import io.quarkus.funqy.knative.events.CloudEventMapping;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Indexes a stored dump: enriches it through the Kubernetes API, writes its record, and signs a
 * download link.
 */
public class IndexFunction {

    private static final Logger LOG = Logger.getLogger(IndexFunction.class);
    private static final String SOURCE = "/dumpflow/index";

    private final PodEnricher enricher;
    private final IndexStore store;
    private final DownloadLinks links;

    IndexFunction(PodEnricher enricher, IndexStore store, DownloadLinks links) {
        this.enricher = enricher;
        this.store = store;
        this.links = links;
    }

    /**
     * Triggered by {@code dev.dumpflow.dump.archived}; replies {@code dev.dumpflow.dump.indexed}.
     * The reply's id derives from the dumpId, so a re-delivery gives the same event for receivers
     * to deduplicate.
     */
    @Funq("index")
    @CloudEventMapping(
            trigger = EventTypes.DUMP_ARCHIVED,
            responseType = EventTypes.DUMP_INDEXED,
            responseSource = SOURCE)
    public CloudEvent<DumpIndexed> index(CloudEvent<DumpArchived> event) {
        DumpArchived archived = EventData.of(event);
        KubernetesContext context = enricher.enrich(archived.dumpId(), archived.pod()).orElse(null);
        IndexStore.Stored stored = store.write(IndexRecord.from(archived).withKubernetes(context));
        IndexRecord record = stored.record();
        String key = stored.key();
        DumpIndexed indexed =
                new DumpIndexed(archived.dumpId(), key, record, links.linkTo(record).orElse(null));
        LOG.infof(
                "dumpId=%s indexed at %s (workload %s, %s, %s)",
                archived.dumpId(),
                key,
                record.pod().workload() == null ? "unknown" : record.pod().workload().name(),
                record.kubernetes() == null ? "not enriched" : "enriched",
                indexed.download() == null ? "no download link" : "download link signed");
        return CloudEventBuilder.create()
                .id(archived.dumpId() + ".indexed")
                .type(EventTypes.DUMP_INDEXED)
                .source(SOURCE)
                .subject(archived.dumpId())
                .dataSchema(EventTypes.dataSchema(EventTypes.DUMP_INDEXED).toString())
                .extensions(Map.of(EventTypes.DUMPID_EXTENSION, archived.dumpId()))
                .build(indexed);
    }
}
