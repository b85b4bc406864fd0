package dev.dumpflow.analysis;

import dev.dumpflow.events.HeapSummary;
import dev.dumpflow.events.HeapSummary.ArrayStat;
import dev.dumpflow.events.HeapSummary.ClassStat;
import dev.dumpflow.events.HeapSummary.HeapLayout;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Turns a finished (or cut-off) census into the summary and the full class histogram, sizing every
 * class under the layout. The summary names only its listed classes, and the histogram decodes each
 * distinct name once: a dump of many classes sharing one long name must not cost a name per class.
 * A cut-off census gets an empty histogram: partial figures would make false differences.
 */
final class SummaryAssembler {

    /** A class to list: its shallow bytes, and its place in the catalog, which breaks ties. */
    private record Ranked(ClassInfo type, long instances, long bytes, int order) {}

    /** Largest first; among equals, the first in the catalog. */
    private static final Comparator<Ranked> LARGEST_FIRST =
            Comparator.comparingLong(Ranked::bytes).reversed().thenComparingInt(Ranked::order);

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
        // The smallest listed class on top, so that a larger one replaces it.
        PriorityQueue<Ranked> top = new PriorityQueue<>(LARGEST_FIRST.reversed());
        ClassInfo classClass = null;
        long objects = 0;
        long bytes = 0;
        long classCount = 0;
        List<Ranked> all = truncation == null ? new ArrayList<>() : null;
        List<ClassInfo> classes = catalog.classes();
        for (int i = 0; i < classes.size(); i++) {
            ClassInfo type = classes.get(i);
            if (classClass == null && type.dumped && catalog.isNamed(type, CLASS_CLASS)) {
                classClass = type;
            } else if (type.instances > 0) {
                Ranked ranked = new Ranked(type, type.instances, bytes(type, sizes, layout), i);
                objects += ranked.instances();
                bytes += ranked.bytes();
                classCount++;
                offer(top, ranked);
                if (all != null) {
                    all.add(ranked);
                }
            }
        }
        if (classClass != null) {
            Ranked ranked = mirrors(classClass, catalog, sizes, classes.size());
            objects += ranked.instances();
            bytes += ranked.bytes();
            classCount++;
            offer(top, ranked);
            if (all != null) {
                all.add(ranked);
            }
        }
        List<Ranked> ranked = new ArrayList<>(top);
        ranked.sort(LARGEST_FIRST);
        List<ClassStat> listed = new ArrayList<>();
        for (Ranked r : ranked) {
            String name = r.type() == classClass ? CLASS_CLASS : catalog.javaName(r.type());
            listed.add(new ClassStat(name, r.instances(), r.bytes()));
        }
        HeapSummary summary =
                new HeapSummary(
                        truncation != null,
                        truncation,
                        objects,
                        bytes,
                        classCount,
                        listed,
                        largestArrays(census, layout),
                        GcRootKinds.named(census.roots),
                        layout);
        return new HeapAnalysis(
                summary,
                all == null ? ClassHistogram.of(List.of()) : histogram(all, catalog, classClass));
    }

    /**
     * Every class, one entry per name. Classes are first summed per name string of the dump, so
     * that a name shared by many classes is decoded once.
     */
    private static ClassHistogram histogram(
            List<Ranked> all, ClassCatalog catalog, ClassInfo classClass) {
        Map<Long, Ranked> byNameId = new HashMap<>();
        List<ClassStat> stats = new ArrayList<>();
        for (Ranked r : all) {
            ClassInfo type = r.type();
            if (type == classClass) {
                stats.add(new ClassStat(CLASS_CLASS, r.instances(), r.bytes()));
            } else if (type.fixedName != null || type.nameId == 0) {
                stats.add(new ClassStat(catalog.javaName(type), r.instances(), r.bytes()));
            } else {
                byNameId.merge(
                        type.nameId,
                        r,
                        (a, b) ->
                                new Ranked(
                                        a.type(),
                                        a.instances() + b.instances(),
                                        a.bytes() + b.bytes(),
                                        a.order()));
            }
        }
        for (Ranked r : byNameId.values()) {
            stats.add(new ClassStat(catalog.javaName(r.type()), r.instances(), r.bytes()));
        }
        return ClassHistogram.of(stats);
    }

    private void offer(PriorityQueue<Ranked> top, Ranked ranked) {
        top.add(ranked);
        if (top.size() > topClasses) {
            top.poll();
        }
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
    private static Ranked mirrors(
            ClassInfo classClass, ClassCatalog catalog, InstanceSizes sizes, int order) {
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
        return new Ranked(classClass, count, bytes, order);
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
