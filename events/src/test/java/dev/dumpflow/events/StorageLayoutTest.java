package dev.dumpflow.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class StorageLayoutTest {

    @Test
    void dumpKeyFollowsTheDesignLayoutAndIsDatedByTheClose() {
        PodIdentity pod =
                Samples.pod().withWorkload(new PodIdentity.Workload("Deployment", "checkout"));
        String key =
                StorageLayout.dumpKey(
                        pod, "d-1", DumpFormat.HPROF_GZ, Instant.parse("2026-01-02T23:59:59Z"));
        assertThat(key).isEqualTo("dumps/shop/checkout/2026/01/02/d-1.hprof-gz.zst");
    }

    @Test
    void rawKeyIsTheDumpsPathUnderRawWithTheFormatAsFetched() {
        PodIdentity pod =
                Samples.pod().withWorkload(new PodIdentity.Workload("Deployment", "checkout"));
        String key =
                StorageLayout.rawKey(
                        pod, "d-1", DumpFormat.HPROF_GZ, Instant.parse("2026-01-02T23:59:59Z"));
        assertThat(key).isEqualTo("raw/shop/checkout/2026/01/02/d-1.hprof-gz.zst");
    }

    @Test
    void dumpKeyWithoutAKnownWorkloadUsesAMarkedSegment() {
        String key =
                StorageLayout.dumpKey(Samples.pod(), "d-1", DumpFormat.HPROF, Samples.CLOSED_AT);
        assertThat(key).isEqualTo("dumps/shop/_unknown/2026/11/22/d-1.hprof.zst");
    }

    @Test
    void indexKeyIsHiveStyle() {
        assertThat(StorageLayout.indexKey(Samples.indexRecord()))
                .isEqualTo(
                        "index/namespace=shop/workload=checkout/date=2026-11-22/20261122T034912Z-7f3a9c01.json");
    }

    @Test
    void aHostileWorkloadNameIsRefusedBeforeItCanAddKeyLevels() {
        assertThatThrownBy(() -> new PodIdentity.Workload("Job", "../../x"))
                .hasMessageContaining("workload.name must be a DNS-1123 subdomain");
    }

    @Test
    void markersSitUnderTheIndexPrefixInAFolderQueryEnginesSkip() {
        assertThat(StorageLayout.markerPrefix("notify-slack", "ab12"))
                .isEqualTo("index/_markers/notify-slack/ab12/")
                .startsWith(StorageLayout.INDEX_PREFIX);
    }

    @Test
    void aHostileMarkerNameCannotAddKeyLevels() {
        assertThat(StorageLayout.markerPrefix("index", "../x/y"))
                .isEqualTo("index/_markers/index/_.._x_y/");
    }

    @Test
    void histogramsSitUnderTheIndexPrefixInAFolderQueryEnginesSkip() {
        assertThat(StorageLayout.histogramKey("d-1"))
                .isEqualTo("index/_histograms/d-1.json")
                .startsWith(StorageLayout.HISTOGRAMS_PREFIX)
                .startsWith(StorageLayout.INDEX_PREFIX + "_");
    }

    @Test
    void theDayPrefixOfAWorkloadHoldsTheIndexKeysOfItsDumpsOfThatDay() {
        IndexRecord record = Samples.indexRecord();
        assertThat(StorageLayout.indexDayPrefix(record.pod(), java.time.LocalDate.of(2026, 11, 22)))
                .isEqualTo("index/namespace=shop/workload=checkout/date=2026-11-22/")
                .satisfies(p -> assertThat(StorageLayout.indexKey(record)).startsWith(p));
    }

    @Test
    void thresholdKeysSortByTheirCrossingAndGiveTheTimeBack() {
        Instant early = Instant.parse("2026-11-22T03:49:12.005Z");
        Instant late = Instant.parse("2026-11-22T03:49:12.040Z");
        String first = StorageLayout.thresholdKey("shop", "checkout-0", early, "ab12");
        String second = StorageLayout.thresholdKey("shop", "checkout-0", late, "0000");

        assertThat(first)
                .isEqualTo(
                        "index/_thresholds/namespace=shop/pod=checkout-0/20261122T034912005Z-ab12.json")
                .startsWith(StorageLayout.thresholdsPrefix("shop", "checkout-0"))
                .startsWith(StorageLayout.INDEX_PREFIX);
        assertThat(first).isLessThan(second);
        assertThat(StorageLayout.thresholdTime(first)).hasValue(early);
        assertThat(StorageLayout.thresholdTime("index/_thresholds/namespace=shop/pod=x/junk"))
                .isEmpty();
    }

    @Test
    void aHostilePodNameCannotLeaveItsThresholdFolder() {
        assertThat(StorageLayout.thresholdsPrefix("shop", "../../_by-id"))
                .isEqualTo("index/_thresholds/namespace=shop/pod=_.._..__by-id/");
    }

    @Test
    void auditKeysAreDatedOutsideTheIndexAndSortByTheirDecision() {
        Instant at = Instant.parse("2026-12-07T12:44:55.123Z");

        String key = StorageLayout.auditKey(at, "3f9c0a1b");

        assertThat(key).isEqualTo("audit/date=2026-12-07/20261207T124455123Z-3f9c0a1b.json");
        assertThat(key).startsWith(StorageLayout.AUDIT_PREFIX);
        assertThat(StorageLayout.AUDIT_PREFIX).doesNotStartWith(StorageLayout.INDEX_PREFIX);
        assertThat(StorageLayout.auditKey(at.plusMillis(1), "00")).isGreaterThan(key);
    }

    @Test
    void theListingPrefixOfANamespaceHoldsTheIndexKeysOfItsWorkloads() {
        assertThat(StorageLayout.indexListPrefix("shop", java.util.Optional.empty()))
                .isEqualTo("index/namespace=shop/");
        assertThat(StorageLayout.indexListPrefix("shop", java.util.Optional.of("checkout")))
                .isEqualTo("index/namespace=shop/workload=checkout/");
        assertThat(StorageLayout.indexListPrefix("shop", java.util.Optional.of("../x")))
                .isEqualTo("index/namespace=shop/workload=_.._x/");
    }
}
