package dev.dumpflow.analysis.redact;

import java.io.File;
import java.util.EnumSet;
import java.util.zip.CRC32;
import shark.HprofHeader;
import shark.HprofRecord.HeapDumpRecord.ObjectRecord.PrimitiveArrayDumpRecord;
import shark.HprofRecord.HeapDumpRecord.ObjectRecord.PrimitiveArrayDumpRecord.ByteArrayDump;
import shark.HprofRecord.HeapDumpRecord.ObjectRecord.PrimitiveArrayDumpRecord.CharArrayDump;
import shark.HprofRecordReader;
import shark.HprofRecordTag;
import shark.StreamingHprofReader;

/**
 * What LeakCanary's Shark, an HPROF reader independent of ours, reads in a dump: it parses every
 * record of every kind, values included, and counts objects. Also tells whether the elements of
 * char[] and byte[] arrays, and of the other primitive arrays, are all zero, and a checksum of the
 * other arrays' elements.
 *
 * @param bytesRead where Shark stopped reading: the file's length when it parsed it to the end
 */
record SharkCensus(
        long bytesRead,
        long records,
        long classes,
        long instances,
        long objectArrays,
        long primitiveArrays,
        long instanceFieldBytes,
        boolean stringArraysZero,
        boolean otherArraysZero,
        long otherArraysCrc) {

    static SharkCensus of(File hprof) {
        Counter c = new Counter();
        StreamingHprofReader reader =
                StreamingHprofReader.Companion.readerFor(
                        hprof, HprofHeader.Companion.parseHeaderOf(hprof));
        long bytesRead = reader.readRecords(EnumSet.allOf(HprofRecordTag.class), c::record);
        return new SharkCensus(
                bytesRead,
                c.records,
                c.classes,
                c.instances,
                c.objectArrays,
                c.primitiveArrays,
                c.instanceFieldBytes,
                c.stringArraysZero,
                c.otherArraysZero,
                c.otherArrays.getValue());
    }

    private static final class Counter {
        long records;
        long classes;
        long instances;
        long objectArrays;
        long primitiveArrays;
        long instanceFieldBytes;
        boolean stringArraysZero = true;
        boolean otherArraysZero = true;
        final CRC32 otherArrays = new CRC32();

        void record(HprofRecordTag tag, long length, HprofRecordReader r) {
            records++;
            switch (tag) {
                case STRING_IN_UTF8 -> r.readStringRecord(length);
                case LOAD_CLASS -> r.readLoadClassRecord();
                case STACK_FRAME -> r.readStackFrameRecord();
                case STACK_TRACE -> r.readStackTraceRecord();
                case ROOT_UNKNOWN -> r.readUnknownGcRootRecord();
                case ROOT_JNI_GLOBAL -> r.readJniGlobalGcRootRecord();
                case ROOT_JNI_LOCAL -> r.readJniLocalGcRootRecord();
                case ROOT_JAVA_FRAME -> r.readJavaFrameGcRootRecord();
                case ROOT_NATIVE_STACK -> r.readNativeStackGcRootRecord();
                case ROOT_STICKY_CLASS -> r.readStickyClassGcRootRecord();
                case ROOT_THREAD_BLOCK -> r.readThreadBlockGcRootRecord();
                case ROOT_MONITOR_USED -> r.readMonitorUsedGcRootRecord();
                case ROOT_THREAD_OBJECT -> r.readThreadObjectGcRootRecord();
                case CLASS_DUMP -> {
                    r.readClassDumpRecord();
                    classes++;
                }
                case INSTANCE_DUMP -> {
                    instanceFieldBytes += r.readInstanceDumpRecord().getFieldValues().length;
                    instances++;
                }
                case OBJECT_ARRAY_DUMP -> {
                    r.readObjectArrayDumpRecord();
                    objectArrays++;
                }
                case PRIMITIVE_ARRAY_DUMP -> primitiveArray(r.readPrimitiveArrayDumpRecord());
                case HEAP_DUMP_INFO -> r.readHeapDumpInfoRecord();
                default -> {
                    if (length < 0) {
                        throw new IllegalStateException("unexpected sub-record " + tag);
                    }
                    r.skip(length); // top-level records the census does not look into
                }
            }
        }

        private void primitiveArray(PrimitiveArrayDumpRecord array) {
            primitiveArrays++;
            byte[] bytes = elements(array);
            boolean zero = true;
            for (byte b : bytes) {
                zero &= b == 0;
            }
            if (array instanceof CharArrayDump || array instanceof ByteArrayDump) {
                stringArraysZero &= zero;
            } else {
                otherArraysZero &= zero;
                otherArrays.update(bytes);
            }
        }

        /** The elements as bytes, big-endian like the file, whatever the element type. */
        private static byte[] elements(PrimitiveArrayDumpRecord array) {
            java.nio.ByteBuffer out;
            switch (array) {
                case ByteArrayDump a -> {
                    return a.getArray();
                }
                case CharArrayDump a -> {
                    out = java.nio.ByteBuffer.allocate(a.getArray().length * 2);
                    out.asCharBuffer().put(a.getArray());
                }
                case PrimitiveArrayDumpRecord.ShortArrayDump a -> {
                    out = java.nio.ByteBuffer.allocate(a.getArray().length * 2);
                    out.asShortBuffer().put(a.getArray());
                }
                case PrimitiveArrayDumpRecord.IntArrayDump a -> {
                    out = java.nio.ByteBuffer.allocate(a.getArray().length * 4);
                    out.asIntBuffer().put(a.getArray());
                }
                case PrimitiveArrayDumpRecord.LongArrayDump a -> {
                    out = java.nio.ByteBuffer.allocate(a.getArray().length * 8);
                    out.asLongBuffer().put(a.getArray());
                }
                case PrimitiveArrayDumpRecord.FloatArrayDump a -> {
                    out = java.nio.ByteBuffer.allocate(a.getArray().length * 4);
                    out.asFloatBuffer().put(a.getArray());
                }
                case PrimitiveArrayDumpRecord.DoubleArrayDump a -> {
                    out = java.nio.ByteBuffer.allocate(a.getArray().length * 8);
                    out.asDoubleBuffer().put(a.getArray());
                }
                case PrimitiveArrayDumpRecord.BooleanArrayDump a -> {
                    out = java.nio.ByteBuffer.allocate(a.getArray().length);
                    for (boolean b : a.getArray()) {
                        out.put((byte) (b ? 1 : 0));
                    }
                }
                default -> throw new IllegalStateException("array " + array);
            }
            return out.array();
        }
    }
}
