package dev.dumpflow.functions.archive;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * Runs the archives of one dumpId one at a time in this instance. Delivery is at least once, so the
 * same event can arrive twice at once; the second waits, then finds the object stored and replies
 * from it, instead of pulling and compressing the same gigabytes again.
 */
final class InFlightDumps {

    private final ConcurrentMap<String, CompletableFuture<Void>> running =
            new ConcurrentHashMap<>();

    <T> T exclusively(String dumpId, Supplier<T> work) {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> other;
        while ((other = running.putIfAbsent(dumpId, mine)) != null) {
            other.join();
        }
        try {
            return work.get();
        } finally {
            running.remove(dumpId, mine);
            mine.complete(null);
        }
    }
}
