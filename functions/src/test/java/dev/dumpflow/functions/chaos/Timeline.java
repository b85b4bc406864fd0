package dev.dumpflow.functions.chaos;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** When each step of the chaos run happened, in seconds from its start, for the report. */
final class Timeline {

    private final long begin;
    private final Map<String, Long> marks = new LinkedHashMap<>();

    Timeline(long begin) {
        this.begin = begin;
    }

    synchronized void mark(String what) {
        marks.put(what, System.nanoTime());
    }

    /** Whole seconds since {@code what} was marked. */
    synchronized long since(String what) {
        return Math.round((System.nanoTime() - marks.get(what)) / 1e9);
    }

    @Override
    public synchronized String toString() {
        List<String> lines = new ArrayList<>();
        marks.forEach(
                (what, at) -> lines.add("TIMELINE %6.1f s %s".formatted((at - begin) / 1e9, what)));
        return String.join("\n", lines);
    }
}
