package dev.kumo.local.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Collected durations and their percentiles. Thread-safe. */
final class Latencies {
    private final List<Long> nanos = Collections.synchronizedList(new ArrayList<>());

    void add(long durationNanos) {
        nanos.add(durationNanos);
    }

    int count() {
        return nanos.size();
    }

    double percentileMillis(double p) {
        List<Long> sorted;
        synchronized (nanos) {
            sorted = new ArrayList<>(nanos);
        }
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index)) / 1e6;
    }

    String row(String label) {
        return String.format("  %-14s %7.1f  %7.1f", label, percentileMillis(50), percentileMillis(99));
    }
}
