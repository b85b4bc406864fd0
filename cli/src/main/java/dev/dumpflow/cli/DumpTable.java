package dev.dumpflow.cli;

import dev.dumpflow.events.HeapSummary;
import dev.dumpflow.events.IndexRecord;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code dumps ls}: one line per dump, in columns sized to their widest value: the dump's id (what
 * {@code show} and {@code get} take), when it was closed (UTC), namespace/workload/pod, cause, raw
 * and stored size, the redaction mode ({@code -} for a dump stored as fetched), and the class with
 * the most shallow bytes.
 */
final class DumpTable {

    static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private static final List<String> HEADER =
            List.of(
                    "ID",
                    "CLOSED (UTC)",
                    "NAMESPACE/WORKLOAD/POD",
                    "CAUSE",
                    "RAW",
                    "STORED",
                    "REDACTED",
                    "TOP CLASS");

    private DumpTable() {}

    /** The table, header first, one line per record; a sentence when there are none. */
    static String of(List<IndexRecord> records) {
        if (records.isEmpty()) {
            return "no dumps\n";
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (IndexRecord record : records) {
            rows.add(
                    List.of(
                            Printable.of(record.dumpId()),
                            TIME.format(record.closedAt()),
                            where(record),
                            record.cause().wire(),
                            Sizes.human(record.rawBytes()),
                            Sizes.human(record.storedBytes()),
                            record.redaction() == null ? "-" : record.redaction().mode(),
                            topClass(record.analysis())));
        }
        int[] widths = new int[HEADER.size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder table = new StringBuilder();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(i == row.size() - 1 ? row.get(i) : pad(row.get(i), widths[i] + 2));
            }
            table.append(line.toString().stripTrailing()).append('\n');
        }
        return table.toString();
    }

    /** {@code namespace/workload/pod}, with {@code -} for a workload that is not known. */
    static String where(IndexRecord record) {
        String workload = record.pod().workload() == null ? "-" : record.pod().workload().name();
        return Printable.of(record.pod().namespace() + "/" + workload + "/" + record.pod().name());
    }

    private static String topClass(HeapSummary analysis) {
        if (analysis == null || analysis.topClasses().isEmpty()) {
            return "-";
        }
        HeapSummary.ClassStat top = analysis.topClasses().getFirst();
        return Printable.of(top.className()) + " (" + Sizes.human(top.bytes()) + ")";
    }

    private static String pad(String value, int width) {
        return value + " ".repeat(Math.max(0, width - value.length()));
    }
}
