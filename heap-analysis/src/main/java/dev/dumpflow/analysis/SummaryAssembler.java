package dev.dumpflow.analysis;

import dev.dumpflow.events.HeapSummary;
import dev.dumpflow.events.HeapSummary.ArrayStat;
import dev.dumpflow.events.HeapSummary.ClassStat;
import dev.dumpflow.events.HeapSummary.HeapLayout;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Turns a finished (or cut-off) census into the summary and the full class histogram, sizing every
 * class under the layout.
 */
final class SummaryAssembler {

    private static final String CLASS_CLASS = "java.lang.Class";

    private final int topClasses;
    private final int largestArrays;

    SummaryAssembler(int topClasses, int largestArrays) {
        this.topClasses = topClasses;
        this.largestArrays = largestArrays;
    }

    HeapAnalysis summarize(HeapCensus census, HeapLayout layout, String truncation) {
        ClassCatalog catalog = census.catalog;
        InstanceSizes sizes =
                new InstanceSizes(
                        catalog, layout, LayoutInference.idsAreAddresses(census.evidence));
        List<ClassStat> stats = new ArrayList<>();
        ClassInfo classClass = null;
        for (ClassInfo type : catalog.classes()) {
            String name = catalog.javaName(type);
            if (classClass == null && type.dumped && name.equals(CLASS_CLASS)) {
                classClass = type;
            } else if (type.instances > 0) {
                stats.add(new ClassStat(name, type.instances, bytes(type, sizes, layout)));
            }
        }
        if (classClass != null) {
            stats.add(mirrors(classClass, catalog, sizes));
        }
        long objects = 0;
        long bytes = 0;
        for (ClassStat stat : stats) {
            objects += stat.instances();
            bytes += stat.bytes();
        }
        stats.sort(Comparator.comparingLong(ClassStat::bytes).reversed());
        HeapSummary summary =
                new HeapSummary(
                        truncation != null,
                        truncation,
                        objects,
                        bytes,
                        stats.size(),
                        stats.subList(0, Math.min(topClasses, stats.size())),
                        largestArrays(census, layout),
                        GcRootKinds.named(census.roots),
                        layout);
        return new HeapAnalysis(summary, ClassHistogram.of(stats));
    }

    private static long bytes(ClassInfo type, InstanceSizes sizes, HeapLayout layout) {
        if (type.lengths == null) {
            return type.instances * sizes.instanceSize(type);
        }
        int elementSize = elementSize(type, layout);
        return type.lengths.totalBytes(
                ArraySizes.base(layout, elementSize), elementSize, layout.alignment());
    }

    /**
     * Mirrors are dumped as class records, not instances: one per class, sized with that class's
     * static fields. Primitive-type mirrors, when dumped, come as ordinary instances.
     */
    private static ClassStat mirrors(
            ClassInfo classClass, ClassCatalog catalog, InstanceSizes sizes) {
        sizes.classClass(classClass);
        long classSize = sizes.instanceSize(classClass);
        long count = classClass.instances;
        long bytes = classClass.instances * classSize;
        for (ClassInfo type : catalog.classes()) {
            if (type.dumped) {
                count++;
                bytes += sizes.mirrorSize(type, classSize);
            }
        }
        return new ClassStat(CLASS_CLASS, count, bytes);
    }

    private List<ArrayStat> largestArrays(HeapCensus census, HeapLayout layout) {
        List<ArrayStat> arrays = new ArrayList<>();
        for (LargestArrays.Candidate candidate : census.largestArrays.candidates()) {
            int elementSize = elementSize(candidate.type(), layout);
            arrays.add(
                    new ArrayStat(
                            census.catalog.javaName(candidate.type()),
                            candidate.length(),
                            ArraySizes.size(layout, elementSize, candidate.length())));
        }
        arrays.sort(Comparator.comparingLong(ArrayStat::bytes).reversed());
        return arrays.subList(0, Math.min(largestArrays, arrays.size()));
    }

    private static int elementSize(ClassInfo type, HeapLayout layout) {
        return type.primitiveElementSize == ClassInfo.NOT_ARRAY
                ? layout.referenceSize()
                : type.primitiveElementSize;
    }
}
