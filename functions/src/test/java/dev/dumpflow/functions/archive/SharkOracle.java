package dev.dumpflow.functions.archive;

import java.io.File;
import java.nio.file.Path;
import java.util.Set;
import kotlin.jvm.JvmClassMappingKt;
import shark.HprofHeader;
import shark.HprofRecord;
import shark.HprofRecord.HeapDumpRecord.ObjectRecord.PrimitiveArrayDumpRecord.ByteArrayDump;
import shark.HprofRecord.HeapDumpRecord.ObjectRecord.PrimitiveArrayDumpRecord.CharArrayDump;
import shark.StreamingHprofReader;
import shark.StreamingRecordReaderAdapter;

/**
 * Reads an HPROF file to its end with LeakCanary's shark, an HPROF reader independent of ours:
 * every record, each decoded in full. It throws on a file it cannot parse.
 */
final class SharkOracle {

    /**
     * What shark read.
     *
     * @param records records decoded, sub-records of heap dumps included
     * @param instances instance dumps among them
     * @param charOrByteArrays {@code char[]} and {@code byte[]} dumps
     * @param nonZeroCharOrByteArrays those with any element other than zero
     */
    record Census(
            long records, long instances, long charOrByteArrays, long nonZeroCharOrByteArrays) {}

    private SharkOracle() {}

    static Census read(Path hprof) {
        File file = hprof.toFile();
        StreamingHprofReader reader =
                StreamingHprofReader.Companion.readerFor(
                        file, HprofHeader.Companion.parseHeaderOf(file));
        long[] counts = new long[4];
        new StreamingRecordReaderAdapter(reader)
                .readRecords(
                        Set.of(JvmClassMappingKt.getKotlinClass(HprofRecord.class)),
                        (position, record) -> {
                            counts[0]++;
                            if (record
                                    instanceof
                                    HprofRecord.HeapDumpRecord.ObjectRecord.InstanceDumpRecord) {
                                counts[1]++;
                            } else if (record instanceof CharArrayDump chars) {
                                counts[2]++;
                                for (char c : chars.getArray()) {
                                    if (c != 0) {
                                        counts[3]++;
                                        break;
                                    }
                                }
                            } else if (record instanceof ByteArrayDump bytes) {
                                counts[2]++;
                                for (byte b : bytes.getArray()) {
                                    if (b != 0) {
                                        counts[3]++;
                                        break;
                                    }
                                }
                            }
                        });
        return new Census(counts[0], counts[1], counts[2], counts[3]);
    }
}
